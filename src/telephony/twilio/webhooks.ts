import { z } from 'zod';
import { validateTwilioBodySignature, validateTwilioSignature } from './signature.js';
import type { TwilioParams } from './signature.js';

/** Twilio's incoming-call and status-callback webhooks: form parsing, signature check, zod schemas. */

export const TWILIO_CALL_STATUSES = [
  'queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed',
] as const;
export const twilioCallStatusSchema = z.enum(TWILIO_CALL_STATUSES);
export type TwilioCallStatus = z.infer<typeof twilioCallStatusSchema>;

export const TWILIO_STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'] as const;
export const twilioStatusEventSchema = z.enum(TWILIO_STATUS_EVENTS);
export type TwilioStatusEvent = z.infer<typeof twilioStatusEventSchema>;

export const callSidSchema = z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'a CallSid (CA + 32 hex)');
export const accountSidSchema = z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an AccountSid (AC + 32 hex)');
/** E.164, `client:name`, a SIP URI or `anonymous`: Twilio passes what the caller presented. */
const address = z.string().min(1).max(256);
const optionalText = z.string().max(256).optional();

/** Parameters of the incoming-call (Voice URL) webhook. Unknown parameters are kept. */
export const twilioVoiceWebhookSchema = z.looseObject({
  CallSid: callSidSchema,
  AccountSid: accountSidSchema,
  From: address,
  To: address,
  CallStatus: twilioCallStatusSchema,
  ApiVersion: z.string().max(20).optional(),
  Direction: z.enum(['inbound', 'outbound-api', 'outbound-dial']),
  CallerName: optionalText,
  FromCity: optionalText,
  FromState: optionalText,
  FromZip: optionalText,
  FromCountry: optionalText,
  ToCity: optionalText,
  ToState: optionalText,
  ToZip: optionalText,
  ToCountry: optionalText,
  ParentCallSid: callSidSchema.optional(),
});
export type TwilioVoiceWebhook = z.infer<typeof twilioVoiceWebhookSchema>;

const nonNegativeInt = z.coerce.number().int().min(0);

/** Parameters of a call status callback. `CallDuration` (seconds) comes with `completed`. */
export const twilioStatusCallbackSchema = z.looseObject({
  CallSid: callSidSchema,
  AccountSid: accountSidSchema,
  CallStatus: twilioCallStatusSchema,
  StatusCallbackEvent: twilioStatusEventSchema.optional(),
  CallDuration: nonNegativeInt.optional(),
  Duration: nonNegativeInt.optional(),
  SequenceNumber: nonNegativeInt.optional(),
  Timestamp: z.string().max(64).optional(),
  From: address.optional(),
  To: address.optional(),
  Direction: z.enum(['inbound', 'outbound-api', 'outbound-dial']).optional(),
  ParentCallSid: callSidSchema.optional(),
  SipResponseCode: z.string().max(8).optional(),
  AnsweredBy: z.string().max(64).optional(),
});
export type TwilioStatusCallback = z.infer<typeof twilioStatusCallbackSchema>;

/** Parses an `application/x-www-form-urlencoded` body; a repeated name becomes an array (as Twilio signs it). */
export function parseFormBody(body: string | Uint8Array): Record<string, string | string[]> {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [name, value] of new URLSearchParams(text)) {
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (typeof prev === 'string') out[name] = [prev, value];
    else prev.push(value);
  }
  return out;
}

export type WebhookCheck =
  | { ok: true; params: Record<string, string | string[]> }
  | { ok: false; reason: 'missing-signature' | 'bad-signature' | 'unknown-account' };

export interface WebhookRequest {
  /** The account's Auth Token, or how to find it from the (not yet trusted) params, e.g. by AccountSid or To. */
  authToken: string | ((params: Record<string, string | string[]>) => string | null);
  /** The full public URL Twilio was given (scheme, host, optional port, path, query). */
  url: string;
  /** The `X-Twilio-Signature` header. */
  signature: string | undefined;
  /** The body exactly as received. */
  rawBody: string | Uint8Array;
  contentType?: string | undefined;
}

/** Checks a webhook's signature (form or JSON `bodySHA256` variant) before any other work; returns its params. */
export function verifyTwilioWebhook(req: WebhookRequest): WebhookCheck {
  if (!req.signature) return { ok: false, reason: 'missing-signature' };
  const json = (req.contentType ?? '').toLowerCase().includes('json') || req.url.includes('bodySHA256=');
  const params = json ? {} : parseFormBody(req.rawBody);
  const token = typeof req.authToken === 'string' ? req.authToken : req.authToken(params);
  if (!token) return { ok: false, reason: 'unknown-account' };
  if (json) {
    return validateTwilioBodySignature(token, req.signature, req.url, req.rawBody)
      ? { ok: true, params: {} }
      : { ok: false, reason: 'bad-signature' };
  }
  return validateTwilioSignature(token, req.signature, req.url, params as TwilioParams)
    ? { ok: true, params }
    : { ok: false, reason: 'bad-signature' };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; issues: z.core.$ZodIssue[] };

function parseWith<T>(schema: z.ZodType<T>, params: unknown, reason: string): Parsed<T> {
  const r = schema.safeParse(params);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason, issues: r.error.issues };
}

export function parseVoiceWebhook(params: unknown): Parsed<TwilioVoiceWebhook> {
  return parseWith(twilioVoiceWebhookSchema, params, 'invalid-voice-webhook');
}

export function parseStatusCallback(params: unknown): Parsed<TwilioStatusCallback> {
  return parseWith(twilioStatusCallbackSchema, params, 'invalid-status-callback');
}

/** Which progress event a status callback reports: its `StatusCallbackEvent`, else derived from `CallStatus`. */
export function statusEventOf(cb: TwilioStatusCallback): TwilioStatusEvent {
  if (cb.StatusCallbackEvent) return cb.StatusCallbackEvent;
  switch (cb.CallStatus) {
    case 'queued': case 'initiated': return 'initiated';
    case 'ringing': return 'ringing';
    case 'in-progress': return 'answered';
    default: return 'completed';
  }
}

/** A final status ends the call: completed, busy, no-answer, canceled, failed. */
export function isFinalStatus(status: TwilioCallStatus): boolean {
  return status === 'completed' || status === 'busy' || status === 'no-answer' || status === 'canceled' || status === 'failed';
}

/** Call duration in ms from a completed status callback (Twilio reports whole seconds). */
export function durationMsOf(cb: TwilioStatusCallback): number | null {
  const s = cb.CallDuration ?? cb.Duration;
  return s === undefined ? null : s * 1000;
}
