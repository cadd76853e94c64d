import { createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * Telnyx webhook signatures: Ed25519 over the UTF-8 bytes of `${telnyx-timestamp}|${rawBody}`, base64 in
 * `telnyx-signature-ed25519`. The body must be the bytes Telnyx sent (never parsed and re-serialized).
 * The account's public key is shown in the portal as base64 of the raw 32-byte key.
 */
export const TELNYX_SIGNATURE_HEADER = 'telnyx-signature-ed25519';
export const TELNYX_TIMESTAMP_HEADER = 'telnyx-timestamp';
/** Replay window: timestamps further than this from our clock are refused. */
export const TELNYX_TOLERANCE_SEC = 300;
/** DER prefix that turns a raw 32-byte Ed25519 key into SPKI. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type TelnyxSignatureFailure =
  | 'missing_signature'
  | 'missing_timestamp'
  | 'bad_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'bad_signature_encoding'
  | 'bad_signature';

export type TelnyxSignatureResult = { ok: true; timestamp: number } | { ok: false; reason: TelnyxSignatureFailure };

type HeaderValue = string | readonly string[] | undefined;
export type HeaderBag = Readonly<Record<string, HeaderValue>>;

/** A KeyObject from the portal's base64 raw public key (also accepts base64 SPKI DER). Throws when malformed. */
export function telnyxPublicKey(base64: string): KeyObject {
  const raw = Buffer.from(base64.trim(), 'base64');
  if (raw.length === 32) return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  if (raw.length === 44 && raw.subarray(0, 12).equals(ED25519_SPKI_PREFIX)) {
    return createPublicKey({ key: raw, format: 'der', type: 'spki' });
  }
  throw new TypeError(`a Telnyx public key is base64 of 32 raw bytes, got ${raw.length} bytes`);
}

/** Base64 raw 32-byte public key of an Ed25519 KeyObject (what the Telnyx portal shows). */
export function rawPublicKeyBase64(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(ED25519_SPKI_PREFIX.length).toString('base64');
}

function header(headers: HeaderBag, name: string): string | undefined {
  let v = headers[name];
  if (v === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    v = key === undefined ? undefined : headers[key];
  }
  const s = typeof v === 'string' ? v : v?.[0];
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface VerifyOptions {
  /** Current time in ms (injectable for tests). */
  now?: () => number;
  toleranceSec?: number;
}

/**
 * Checks one webhook. `rawBody` is the request body exactly as received (Buffer preferred; a string is taken
 * as its UTF-8 bytes). Never throws; on failure says why.
 */
export function verifyTelnyxSignature(
  key: KeyObject,
  headers: HeaderBag,
  rawBody: Uint8Array | string,
  options: VerifyOptions = {},
): TelnyxSignatureResult {
  const signature = header(headers, TELNYX_SIGNATURE_HEADER);
  if (signature === undefined) return { ok: false, reason: 'missing_signature' };
  const stamp = header(headers, TELNYX_TIMESTAMP_HEADER);
  if (stamp === undefined) return { ok: false, reason: 'missing_timestamp' };
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(stamp);
  const nowSec = (options.now ?? Date.now)() / 1000;
  const tolerance = options.toleranceSec ?? TELNYX_TOLERANCE_SEC;
  if (timestamp < nowSec - tolerance) return { ok: false, reason: 'timestamp_too_old' };
  if (timestamp > nowSec + tolerance) return { ok: false, reason: 'timestamp_in_future' };

  if (!BASE64.test(signature)) return { ok: false, reason: 'bad_signature_encoding' };
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return { ok: false, reason: 'bad_signature_encoding' };

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const signed = Buffer.concat([Buffer.from(`${stamp}|`, 'utf8'), body]);
  let good = false;
  try {
    good = verify(null, signed, key, sig);
  } catch {
    good = false;
  }
  return good ? { ok: true, timestamp } : { ok: false, reason: 'bad_signature' };
}

/** Verifier bound to one account's key (parsed once). */
export class TelnyxWebhookVerifier {
  private readonly key: KeyObject;
  constructor(publicKeyBase64: string, private readonly options: VerifyOptions = {}) {
    this.key = telnyxPublicKey(publicKeyBase64);
  }

  verify(headers: HeaderBag, rawBody: Uint8Array | string): TelnyxSignatureResult {
    return verifyTelnyxSignature(this.key, headers, rawBody, this.options);
  }
}
