/**
 * Signed outgoing requests: `x-switchboard-timestamp` is epoch milliseconds; `x-switchboard-signature` is
 * `v1=` + hex HMAC-SHA256, keyed with the shared secret, of `${timestamp}.${payload}`, where payload is the raw
 * request body (for a GET: the query string without `?`). Receivers recompute it and refuse stale timestamps.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';
/** Receivers should refuse requests whose timestamp is further off than this (replays). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export function signPayload(secret: string, timestampMs: number, payload: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampMs}.${payload}`).digest('hex')}`;
}

/** The two headers for one request. */
export function signatureHeaders(secret: string, timestampMs: number, payload: string): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(timestampMs), [SIGNATURE_HEADER]: signPayload(secret, timestampMs, payload) };
}

/** Checks a received signature in constant time, and that the timestamp is within `toleranceMs` of `now`. */
export function verifySignature(input: { secret: string; timestamp: string | undefined; signature: string | undefined; payload: string; now?: number; toleranceMs?: number }): boolean {
  const { secret, timestamp, signature, payload } = input;
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp)) return false;
  const at = Number(timestamp);
  if (Math.abs((input.now ?? Date.now()) - at) > (input.toleranceMs ?? SIGNATURE_TOLERANCE_MS)) return false;
  const expected = Buffer.from(signPayload(secret, at, payload));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
