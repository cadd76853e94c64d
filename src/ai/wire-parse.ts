/**
 * Turning one provider WebSocket message into a validated event. Bad input is reported with a reason to count,
 * never thrown; event types we do not act on are ignored.
 */
import type { z } from 'zod';

export type Parsed<M extends Record<string, z.ZodType>> =
  | { [T in keyof M & string]: { kind: 'event'; type: T; event: z.infer<M[T]> } }[keyof M & string]
  | { kind: 'ignored'; type: string }
  | { kind: 'rejected'; reason: string };

/** Parses JSON text; binary frames and bad JSON are rejected. */
export function parseJson(data: unknown, isBinary: boolean): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (isBinary) return { ok: false, reason: 'unexpected_binary' };
  try {
    return { ok: true, value: JSON.parse(String(data)) };
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
}

/** Validates a `{type: …}` event against the schema of its type. */
export function parseTypedEvent<M extends Record<string, z.ZodType>>(schemas: M, message: unknown): Parsed<M> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return { kind: 'rejected', reason: 'not_an_object' };
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string') return { kind: 'rejected', reason: 'missing_type' };
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (!schema) return { kind: 'ignored', type };
  const result = schema.safeParse(message);
  if (!result.success) return { kind: 'rejected', reason: `invalid_${type}` };
  return { kind: 'event', type, event: result.data } as Parsed<M>;
}

/**
 * Base64 → bytes; undefined when the text is not base64. Node's decoder skips characters outside the alphabet,
 * so any such character leaves fewer bytes than the text's length promises: one length check instead of a regex
 * over every character (an audio delta is kilobytes, and this runs before its first byte can play).
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === ((text.length * 3) >> 2) - padding ? bytes : undefined;
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
