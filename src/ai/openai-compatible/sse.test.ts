import { describe, expect, it } from 'vitest';
import { serverSentEvents } from './sse.js';

async function parse(chunks: string[]) {
  async function* source() {
    for (const chunk of chunks) yield new TextEncoder().encode(chunk);
  }
  const events = [];
  for await (const event of serverSentEvents(source())) events.push(event);
  return events;
}

describe('serverSentEvents', () => {
  it('joins data lines, ignores comments, handles CRLF and events split across chunks', async () => {
    expect(await parse(['data: {"a"', ':1}\r\n\r\n: ping\n\nevent: x\ndata: one\ndata: two\n', '\ndata: [DONE]\n\n'])).toEqual([
      { event: undefined, data: '{"a":1}' },
      { event: 'x', data: 'one\ntwo' },
      { event: undefined, data: '[DONE]' },
    ]);
  });
  it('keeps a CR split from its LF', async () => {
    expect(await parse(['data: a\r', '\n\r\n'])).toEqual([{ event: undefined, data: 'a' }]);
  });
});
