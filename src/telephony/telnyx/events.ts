import { z } from 'zod';
import type { HangupSource } from '../../call/leg.js';

/**
 * Telnyx Call Control v2 webhooks: the envelope `{data:{record_type,event_type,id,occurred_at,payload},meta}`
 * and the payloads of the events we act on. Unknown event types are tolerated (`kind: 'unknown'`), unknown
 * fields are kept.
 */

const id = z.string().min(1).max(256);
const text = z.string().max(1024);
const optionalText = text.nullable().optional();

export const telnyxEnvelopeSchema = z.looseObject({
  data: z.looseObject({
    record_type: z.literal('event'),
    event_type: z.string().min(1).max(128),
    id,
    occurred_at: z.string().max(64).optional(),
    payload: z.looseObject({}),
  }),
  meta: z.looseObject({ attempt: z.number().int().optional(), delivered_to: z.string().optional() }).optional(),
});

const callIds = {
  call_control_id: id,
  call_leg_id: id.optional(),
  call_session_id: id.optional(),
  connection_id: id.optional(),
  /** Base64 of what we put in the last command's `client_state`. */
  client_state: z.string().max(4096).nullable().optional(),
};

export const callInitiatedSchema = z.looseObject({
  ...callIds,
  from: text,
  to: text,
  direction: z.enum(['incoming', 'outgoing']),
  state: optionalText,
  caller_id_name: optionalText,
  start_time: optionalText,
});

export const callAnsweredSchema = z.looseObject({ ...callIds, from: optionalText, to: optionalText, start_time: optionalText });

/** Known `hangup_cause` values; others are accepted as plain strings. */
export const TELNYX_HANGUP_CAUSES = [
  'normal_clearing', 'originator_cancel', 'call_rejected', 'user_busy', 'timeout', 'time_limit', 'not_found',
  'no_answer', 'unspecified',
] as const;

export const callHangupSchema = z.looseObject({
  ...callIds,
  from: optionalText,
  to: optionalText,
  hangup_cause: z.string().max(128).default('unspecified'),
  /** `caller`, `callee` or `unknown`. */
  hangup_source: z.string().max(64).default('unknown'),
  sip_hangup_cause: z.union([z.string().max(16), z.number().int()]).nullable().optional(),
  start_time: optionalText,
  end_time: optionalText,
});

export const streamingEventSchema = z.looseObject({
  ...callIds,
  stream_url: optionalText,
  stream_id: optionalText,
  failure_reason: optionalText,
});

export type CallInitiated = z.infer<typeof callInitiatedSchema>;
export type CallAnswered = z.infer<typeof callAnsweredSchema>;
export type CallHangup = z.infer<typeof callHangupSchema>;
export type StreamingEvent = z.infer<typeof streamingEventSchema>;

interface Base { id: string; occurredAt: string | undefined; attempt: number | undefined }
export type TelnyxEvent = Base & (
  | { kind: 'call.initiated'; payload: CallInitiated }
  | { kind: 'call.answered'; payload: CallAnswered }
  | { kind: 'call.hangup'; payload: CallHangup }
  | { kind: 'streaming.started' | 'streaming.stopped' | 'streaming.failed'; payload: StreamingEvent }
  | { kind: 'unknown'; eventType: string; payload: Record<string, unknown> & { call_control_id?: unknown } }
);
export type TelnyxEventKind = TelnyxEvent['kind'];

export type ParseResult = { ok: true; event: TelnyxEvent } | { ok: false; reason: 'malformed_json' | 'bad_envelope' | 'bad_payload'; detail?: string };

const payloadSchemas = {
  'call.initiated': callInitiatedSchema,
  'call.answered': callAnsweredSchema,
  'call.hangup': callHangupSchema,
  'streaming.started': streamingEventSchema,
  'streaming.stopped': streamingEventSchema,
  'streaming.failed': streamingEventSchema,
} as const;

/** Parses a (verified) raw webhook body. Never throws. */
export function parseTelnyxWebhook(rawBody: Uint8Array | string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed_json' };
  }
  const envelope = telnyxEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: 'bad_envelope', detail: envelope.error.message };
  const { data, meta } = envelope.data;
  const base: Base = { id: data.id, occurredAt: data.occurred_at, attempt: meta?.attempt };
  const type = data.event_type;
  if (!(type in payloadSchemas)) return { ok: true, event: { ...base, kind: 'unknown', eventType: type, payload: data.payload } };
  const kind = type as keyof typeof payloadSchemas;
  const payload = payloadSchemas[kind].safeParse(data.payload);
  if (!payload.success) return { ok: false, reason: 'bad_payload', detail: payload.error.message };
  return { ok: true, event: { ...base, kind, payload: payload.data } as TelnyxEvent };
}

/** The call an event belongs to (`call_control_id`), if any. */
export function eventCallId(event: TelnyxEvent): string | undefined {
  const v = event.payload.call_control_id;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Who ended the call, in our terms. Telnyx says `caller` / `callee` from the call's point of view: on an
 * incoming call the caller is the remote party; on one we dialed, the callee is.
 */
export function hangupSourceOf(payload: Pick<CallHangup, 'hangup_source'>, direction: 'incoming' | 'outgoing'): HangupSource {
  const remote = direction === 'incoming' ? 'caller' : 'callee';
  if (payload.hangup_source === remote) return 'caller';
  if (payload.hangup_source === 'caller' || payload.hangup_source === 'callee') return 'platform';
  return 'carrier';
}

/** `client_state` is base64 on the wire. Objects are JSON-encoded first. */
export function encodeClientState(value: string | Record<string, unknown>): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64');
}

/** Decodes `client_state`; undefined when absent or not base64 of UTF-8 text. */
export function decodeClientState(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

/** Decodes a JSON `client_state` and validates it; undefined when absent or invalid. */
export function decodeClientStateJson<T>(value: string | null | undefined, schema: z.ZodType<T>): T | undefined {
  const text = decodeClientState(value);
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
