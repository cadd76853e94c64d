import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

/**
 * X-Twilio-Signature: HMAC-SHA1 (key = the account's Auth Token), base64, over the full URL Twilio requested
 * (query included) followed by every POST parameter sorted by name as name+value (array values deduplicated and
 * sorted). JSON bodies are signed over the URL alone, which carries `bodySHA256=<hex sha256(body)>`.
 * Validation accepts the same URL variants as the official `twilio` library: with and without the port, and with
 * the legacy query-string encoding.
 */
export type TwilioParams = Readonly<Record<string, string | readonly string[]>>;

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

function appendParam(acc: string, name: string, value: string | readonly string[]): string {
  if (typeof value === 'string') return acc + name + value;
  let out = acc;
  for (const v of [...new Set(value)].sort()) out += name + v;
  return out;
}

/** The signature Twilio sends for a request to `url` with these POST `params` (none for GET, JSON bodies, upgrades). */
export function computeTwilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) data = appendParam(data, name, params[name]!);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** Hex SHA-256 of a raw body, as Twilio puts it in the `bodySHA256` query parameter. */
export function bodySha256Hex(body: string | Uint8Array): string {
  return createHash('sha256').update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body).digest('hex');
}

function withoutPort(u: URL): string {
  const c = new URL(u);
  c.port = '';
  return c.toString();
}

function withPort(u: URL): string {
  if (u.port) return u.toString();
  const port = u.protocol === 'https:' || u.protocol === 'wss:' ? ':443' : ':80';
  const auth = u.username || u.password ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
  return `${u.protocol}//${auth}${u.host}${port}${u.pathname}${u.search}${u.hash}`;
}

function legacyQuery(url: string): string {
  const u = new URL(url);
  if (!u.search) return url;
  const qs = parseQuery(u.search.slice(1));
  u.search = '';
  return `${u.toString()}?${stringifyQuery(qs)}`;
}

/** Every spelling of `url` Twilio may have signed (as given; without/with port; legacy query encoding). */
export function twilioUrlVariants(url: string): string[] {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return [url]; }
  const bare = withoutPort(parsed);
  const ported = withPort(parsed);
  return [...new Set([url, bare, ported, legacyQuery(bare), legacyQuery(ported)])];
}

/** Constant-time comparison of two strings (false at once when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `signature` is Twilio's signature of a request to `url` (any accepted spelling) with `params`. */
export function validateTwilioSignature(
  authToken: string,
  signature: string | undefined | null,
  url: string,
  params: TwilioParams = {},
): boolean {
  if (!signature || !authToken) return false;
  let ok = false;
  // Check every variant (no early exit) so the time taken does not depend on which one matched.
  for (const variant of twilioUrlVariants(url)) {
    if (safeEqual(signature, computeTwilioSignature(authToken, variant, params))) ok = true;
  }
  return ok;
}

/**
 * The JSON-body variant: the URL must carry `bodySHA256` equal to the SHA-256 of `rawBody`, and the signature is
 * over the URL alone.
 */
export function validateTwilioBodySignature(
  authToken: string,
  signature: string | undefined | null,
  url: string,
  rawBody: string | Uint8Array,
): boolean {
  let claimed: string | null;
  try { claimed = new URL(url).searchParams.get('bodySHA256'); } catch { return false; }
  if (!claimed) return false;
  const signed = validateTwilioSignature(authToken, signature, url, {});
  const bodyOk = safeEqual(claimed.toLowerCase(), bodySha256Hex(rawBody));
  return signed && bodyOk;
}

/** The WebSocket upgrade to the media URL is signed over the wss URL with no parameters. */
export function validateTwilioUpgrade(authToken: string, signature: string | undefined | null, wssUrl: string): boolean {
  return validateTwilioSignature(authToken, signature, wssUrl, {});
}
