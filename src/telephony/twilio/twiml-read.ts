/**
 * Reads a TwiML answer the way Twilio acts on it, for the call simulator: the first `<Connect><Stream>` with its
 * `<Parameter>`s, or `<Reject>`, or spoken text and `<Hangup>`. A small tolerant reader, not a general XML parser.
 */
export type TwimlAnswer =
  | { kind: 'stream'; streamUrl: string; parameters: Record<string, string>; name?: string; said: string[] }
  | { kind: 'reject'; reason: string }
  | { kind: 'hangup'; said: string[] }
  | { kind: 'dial'; to: string; said: string[] }
  | { kind: 'invalid'; reason: string };

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e]!;
  });
}

/** The attribute part of a tag: anything but `>`, where quoted values may contain `>`. */
const ATTRS = `((?:[^>"']|"[^"]*"|'[^']*')*?)`;
const tag = (name: string, rest: string, flags = '') => new RegExp(`<${name}\\b${ATTRS}${rest}`, flags);

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    out[m[1]!] = unescapeXml(m[3] ?? m[4] ?? '');
  }
  return out;
}

function texts(xml: string, verb: string): string[] {
  return [...xml.matchAll(new RegExp(`<${verb}\\b[^>]*>([\\s\\S]*?)</${verb}>`, 'g'))].map((m) => unescapeXml(m[1]!.trim()));
}

export function readTwiml(xml: string): TwimlAnswer {
  const body = /<Response\b[^>]*>([\s\S]*)<\/Response>|<Response\b[^>]*\/>/.exec(xml);
  if (!body) return { kind: 'invalid', reason: 'no <Response>' };
  const inner = body[1] ?? '';
  const said = texts(inner, 'Say');
  const reject = tag('Reject', '\\/?>').exec(inner);
  if (reject) return { kind: 'reject', reason: attributes(reject[1]!).reason ?? 'rejected' };
  const connect = /<Connect\b[^>]*>([\s\S]*?)<\/Connect>/.exec(inner);
  if (connect) {
    const stream = tag('Stream', '(\\/>|>([\\s\\S]*?)<\\/Stream>)').exec(connect[1]!);
    if (!stream) return { kind: 'invalid', reason: '<Connect> without <Stream>' };
    const attrs = attributes(stream[1]!);
    if (!attrs.url) return { kind: 'invalid', reason: '<Stream> without url' };
    const parameters: Record<string, string> = {};
    for (const p of (stream[3] ?? '').matchAll(tag('Parameter', '\\/?>', 'g'))) {
      const a = attributes(p[1]!);
      if (a.name !== undefined) parameters[a.name] = a.value ?? '';
    }
    return { kind: 'stream', streamUrl: attrs.url, parameters, ...(attrs.name ? { name: attrs.name } : {}), said };
  }
  const dial = /<Dial\b[^>]*>([\s\S]*?)<\/Dial>/.exec(inner);
  if (dial) return { kind: 'dial', to: unescapeXml(dial[1]!.replace(/<[^>]+>/g, '').trim()), said };
  return { kind: 'hangup', said };
}
