/**
 * TwiML builders. Every attribute and text node is XML-escaped; characters XML 1.0 forbids are removed.
 * Answer with `Content-Type: text/xml`.
 */
export const TWIML_CONTENT_TYPE = 'text/xml; charset=utf-8';
/** Name of the `<Parameter>` that carries the signed token binding the media stream to the call. */
export const STREAM_TOKEN_PARAM = 'streamToken';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>';
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(value: string): string {
  return value.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;');
}

type Attrs = Record<string, string | number | boolean | undefined>;

/** One element; `children` are already-built XML strings, or a text node when a plain string. */
export function element(name: string, attrs: Attrs = {}, children?: string | string[]): string {
  let open = `<${name}`;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) open += ` ${k}="${escapeXml(String(v))}"`;
  if (children === undefined || (Array.isArray(children) && children.length === 0)) return `${open}/>`;
  const inner = Array.isArray(children) ? children.join('') : escapeXml(children);
  return `${open}>${inner}</${name}>`;
}

export function response(...verbs: string[]): string {
  return `${XML_DECL}<Response>${verbs.join('')}</Response>`;
}

export interface SayOptions {
  voice?: string;
  language?: string;
}

export function say(text: string, opts: SayOptions = {}): string {
  return element('Say', { voice: opts.voice, language: opts.language }, text);
}

export interface StreamAnswer {
  /** The media socket, e.g. `wss://example.com/telephony/twilio/media` (wss only, no query: use parameters). */
  streamUrl: string;
  /** Signed token binding the stream to the call; comes back as `start.customParameters.streamToken`. */
  streamToken: string;
  /** More `<Parameter>`s (name → value); Twilio returns them in `start.customParameters`. */
  parameters?: Record<string, string>;
  /** Stream name and status callback URL (optional `<Stream>` attributes). */
  name?: string;
  statusCallback?: string;
  /** Spoken before the stream connects (e.g. a recording disclosure); usually left to the agent. */
  greeting?: string;
  sayOptions?: SayOptions;
}

/** Answers an incoming call with a two-way media stream: `<Connect><Stream url>` plus `<Parameter>`s. */
export function connectStream(answer: StreamAnswer): string {
  let url: URL;
  try { url = new URL(answer.streamUrl); } catch { throw new TypeError(`stream URL is not a URL: ${answer.streamUrl}`); }
  if (url.protocol !== 'wss:') throw new TypeError('Twilio media streams need a wss:// URL');
  const params = { [STREAM_TOKEN_PARAM]: answer.streamToken, ...answer.parameters };
  const children = Object.entries(params).map(([name, value]) => element('Parameter', { name, value }));
  const stream = element('Stream', {
    url: answer.streamUrl,
    name: answer.name,
    statusCallback: answer.statusCallback,
    statusCallbackMethod: answer.statusCallback ? 'POST' : undefined,
  }, children);
  const verbs = answer.greeting ? [say(answer.greeting, answer.sayOptions)] : [];
  verbs.push(element('Connect', {}, [stream]));
  return response(...verbs);
}

/** Declines a call without answering (no charge): for unknown numbers. */
export function reject(reason: 'rejected' | 'busy' = 'rejected'): string {
  return response(element('Reject', { reason }));
}

/** Speaks a message then hangs up (e.g. "this number is not in service"). */
export function sayAndHangup(text: string, opts: SayOptions = {}): string {
  return response(say(text, opts), element('Hangup'));
}

export function hangup(): string {
  return response(element('Hangup'));
}

export interface DialOptions {
  callerId?: string;
  /** Seconds to ring the target. */
  timeout?: number;
}

/** Transfers the call: `<Dial>number</Dial>`, `<Dial><Sip>uri</Sip></Dial>`, `<Dial><Client>name</Client></Dial>`. */
export function dial(to: string, opts: DialOptions = {}): string {
  const target = /^sips?:/i.test(to) ? [element('Sip', {}, to)]
    : /^client:/i.test(to) ? [element('Client', {}, to.slice(7))]
      : to;
  return response(element('Dial', { callerId: opts.callerId, timeout: opts.timeout }, target));
}
