/**
 * Server-sent events from a byte stream (WHATWG rules: `data:` lines joined by newlines, a blank line ends an
 * event, `:` comments ignored, CR/LF/CRLF line ends).
 */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

export async function* serverSentEvents(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let event: string | undefined;
  const dispatch = function* (): Generator<ServerSentEvent> {
    if (data.length > 0) yield { event, data: data.join('\n') };
    data = [];
    event = undefined;
  };
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline: RegExpExecArray | null;
    while ((newline = /\r\n|\r|\n/.exec(buffer)) !== null) {
      // A lone CR at the very end may be the first half of CRLF: wait for more.
      if (newline[0] === '\r' && newline.index === buffer.length - 1) break;
      const line = buffer.slice(0, newline.index);
      buffer = buffer.slice(newline.index + newline[0].length);
      if (line === '') {
        yield* dispatch();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim() !== '' && buffer.startsWith('data:')) data.push(buffer.slice(5).trimStart());
  yield* dispatch();
}
