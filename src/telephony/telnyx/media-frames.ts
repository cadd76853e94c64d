import type { RawData } from 'ws';
import { z } from 'zod';

/**
 * The Telnyx media-stream WebSocket, JSON text frames in snake_case. Telnyx → us: `connected`, `start`, `media`,
 * `dtmf`, `mark` (echo of ours once played, or on `clear`), `error`, `stop`. Us → Telnyx: `media`, `mark`,
 * `clear`. Numbers arrive as strings (`sequence_number`, `chunk`, `timestamp`).
 */

const numeric = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative()]).transform(Number);
const sequence = { sequence_number: numeric.optional(), stream_id: z.string().max(256).optional() };

export const TELNYX_ENCODINGS = ['PCMU', 'PCMA', 'L16', 'G722', 'OPUS', 'AMR-WB'] as const;

export const telnyxMediaFormatSchema = z.looseObject({
  encoding: z.string().max(32),
  sample_rate: z.coerce.number().int().positive().max(48_000).default(8000),
  channels: z.coerce.number().int().positive().max(2).default(1),
});
export type TelnyxMediaFormat = z.infer<typeof telnyxMediaFormatSchema>;

export const connectedFrameSchema = z.looseObject({ event: z.literal('connected'), version: z.string().max(32).optional() });

export const startFrameSchema = z.looseObject({
  event: z.literal('start'),
  ...sequence,
  start: z.looseObject({
    call_control_id: z.string().min(1).max(256),
    call_session_id: z.string().max(256).optional(),
    user_id: z.string().max(256).optional(),
    from: z.string().max(256).optional(),
    to: z.string().max(256).optional(),
    client_state: z.string().max(4096).nullable().optional(),
    custom_parameters: z.record(z.string().max(256), z.unknown()).nullable().optional(),
    media_format: telnyxMediaFormatSchema.default({ encoding: 'PCMU', sample_rate: 8000, channels: 1 }),
  }),
});
export type StartFrame = z.infer<typeof startFrameSchema>;

export const mediaFrameSchema = z.looseObject({
  event: z.literal('media'),
  ...sequence,
  media: z.looseObject({
    track: z.string().max(32).optional(),
    chunk: numeric.optional(),
    timestamp: numeric.optional(),
    payload: z.string().max(1_000_000),
  }),
});
export type MediaFrame = z.infer<typeof mediaFrameSchema>;

export const dtmfFrameSchema = z.looseObject({
  event: z.literal('dtmf'),
  ...sequence,
  dtmf: z.looseObject({ digit: z.string().regex(/^[0-9A-Da-d*#]$/) }),
});

export const markFrameSchema = z.looseObject({
  event: z.literal('mark'),
  ...sequence,
  mark: z.looseObject({ name: z.string().min(1).max(256) }),
});

export const stopFrameSchema = z.looseObject({ event: z.literal('stop'), ...sequence });

export const errorFrameSchema = z.looseObject({
  event: z.literal('error'),
  ...sequence,
  payload: z.looseObject({ code: z.union([z.number(), z.string()]).optional(), title: z.string().optional(), detail: z.string().optional() }).optional(),
});

export const telnyxInboundFrameSchema = z.discriminatedUnion('event', [
  connectedFrameSchema,
  startFrameSchema,
  mediaFrameSchema,
  dtmfFrameSchema,
  markFrameSchema,
  stopFrameSchema,
  errorFrameSchema,
]);
export type TelnyxInboundFrame = z.infer<typeof telnyxInboundFrameSchema>;
export const KNOWN_INBOUND_EVENTS: ReadonlySet<string> = new Set(['connected', 'start', 'media', 'dtmf', 'mark', 'stop', 'error']);

/** Frames we send. */
export const outboundMedia = (payloadBase64: string): string => JSON.stringify({ event: 'media', media: { payload: payloadBase64 } });
export const outboundMark = (name: string): string => JSON.stringify({ event: 'mark', mark: { name } });
export const outboundClear = (): string => JSON.stringify({ event: 'clear' });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 decode: undefined for anything that is not canonical-length base64. */
export function decodeBase64(value: string): Buffer | undefined {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

function frameSize(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
}

function frameText(data: RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
}

export type ReadResult = { ok: true; frame: TelnyxInboundFrame } | { ok: false; reason: string };

/**
 * One received WebSocket message → a validated frame, or why not: `binary-frame`, `oversized-frame`,
 * `malformed-json`, `malformed-message`, `unknown-event`, `invalid-<event>`. Never throws.
 */
export function readTelnyxFrame(data: RawData, isBinary: boolean, maxBytes: number): ReadResult {
  if (isBinary) return { ok: false, reason: 'binary-frame' };
  if (frameSize(data) > maxBytes) return { ok: false, reason: 'oversized-frame' };
  let json: unknown;
  try {
    json = JSON.parse(frameText(data));
  } catch {
    return { ok: false, reason: 'malformed-json' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, reason: 'malformed-message' };
  const event = (json as { event?: unknown }).event;
  if (typeof event !== 'string' || !KNOWN_INBOUND_EVENTS.has(event)) return { ok: false, reason: 'unknown-event' };
  const parsed = telnyxInboundFrameSchema.safeParse(json);
  return parsed.success ? { ok: true, frame: parsed.data } : { ok: false, reason: `invalid-${event}` };
}
