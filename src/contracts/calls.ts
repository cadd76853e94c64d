import { z } from 'zod';
import { idSchema, isoDate } from './common.js';

export const CALL_STATES = ['ringing', 'in-progress', 'on-hold', 'transferring', 'completed', 'failed', 'no-answer', 'busy'] as const;
export const callStateSchema = z.enum(CALL_STATES).describe('ringing → in-progress → (on-hold | transferring) → completed | failed | no-answer | busy');
export type CallState = z.infer<typeof callStateSchema>;
export const TERMINAL_CALL_STATES: readonly CallState[] = ['completed', 'failed', 'no-answer', 'busy'];

export const callDirectionSchema = z.enum(['inbound', 'outbound']);
export type CallDirection = z.infer<typeof callDirectionSchema>;
export const callCarrierSchema = z.enum(['twilio', 'telnyx', 'browser']);
export type CallCarrier = z.infer<typeof callCarrierSchema>;
export const hangupSourceSchema = z.enum(['caller', 'agent', 'platform', 'carrier']).describe('Who ended the call.');

export const e164 = z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be E.164, e.g. +14155550100');

export const callSchema = z.object({
  id: idSchema,
  direction: callDirectionSchema,
  carrier: callCarrierSchema,
  carrierCallId: z.string().nullable().describe('The carrier\'s id of the call (CallSid, call_control_id, session id).'),
  from: z.string(),
  to: z.string(),
  numberId: idSchema.nullable(),
  agentKind: z.string().describe('What answered: echo, voicemail, later flow or an AI provider.'),
  state: callStateSchema,
  hangupCause: z.string().nullable(),
  hangupSource: hangupSourceSchema.nullable(),
  startedAt: isoDate,
  answeredAt: isoDate.nullable(),
  endedAt: isoDate.nullable(),
  durationMs: z.number().int().nullable().describe('From answer to end; null until both happened.'),
  recordingUrl: z.string().nullable().describe('Dual-channel WAV (caller left, agent right); null when none was made.'),
  metadata: z.record(z.string(), z.unknown()),
  queue: z.string().describe('Which agents see the call (the number\'s options.queue, default "general").'),
  assigneeUserId: idSchema.nullable().describe('The user who answered or took over the call.'),
  aiPaused: z.boolean().describe('A person took the call over: the AI agent neither listens nor speaks.'),
  awaitingAssignee: z.boolean().describe('Transferred to the assignee (an agent): on hold until they take it over.'),
}).meta({ id: 'Call' });
export type Call = z.infer<typeof callSchema>;

export const callEventSchema = z.object({
  type: z.string().describe('e.g. state, dtmf, voicemail.recording_started'),
  at: isoDate,
  data: z.record(z.string(), z.unknown()),
}).meta({ id: 'CallEvent' });

export const transcriptSegmentSchema = z.object({
  speaker: z.enum(['caller', 'agent', 'human']).describe('human: the person who took the call over from the AI agent'),
  text: z.string(),
  startMs: z.number().int().describe('ms from the start of the call\'s media (the recording)'),
  endMs: z.number().int(),
  createdAt: isoDate,
}).meta({ id: 'TranscriptSegment' });

export const callDetailSchema = callSchema.extend({
  timeline: z.array(callEventSchema),
  transcript: z.array(transcriptSegmentSchema),
}).meta({ id: 'CallDetail' });

export const callsQuery = z.object({
  state: callStateSchema.optional(),
  direction: callDirectionSchema.optional(),
  carrier: callCarrierSchema.optional(),
  q: z.string().max(64).optional().describe('Search in the from and to numbers'),
});

export const createCallRequest = z.object({
  to: z.string().regex(/^(\+[1-9][0-9]{6,14}|sip:[^\s]{3,250})$/, 'must be E.164 or a sip: URI'),
  from: e164.optional().describe('One of the tenant\'s numbers at the carrier; default: its first one.'),
  carrier: z.enum(['twilio', 'telnyx']).optional().describe('Default: the tenant\'s configured carrier (twilio first).'),
  agent: z.string().min(1).max(64).optional().describe('What talks on the call; default: what answers the from number.'),
  metadata: z.record(z.string().max(64), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).default({})
    .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys'),
}).strict().meta({ id: 'CreateCallRequest' });
export type CreateCallRequest = z.infer<typeof createCallRequest>;

export const hangupCallRequest = z.object({ reason: z.string().min(1).max(200).default('ended-by-api') }).strict();
/** A cold transfer to a number or SIP URI, or a transfer to an agent of the tenant (held until they take it over). */
export const transferCallRequest = z.union([
  z.object({
    to: z.string().regex(/^(\+[1-9][0-9]{6,14}|sip:[^\s]{3,250})$/, 'must be E.164 or a sip: URI'),
  }).strict(),
  z.object({
    agentId: idSchema.describe('A user of the tenant with role agent or supervisor (GET /api/v1/transfer-agents).'),
  }).strict(),
]).meta({ id: 'TransferCallRequest' });
export type TransferCallRequest = z.infer<typeof transferCallRequest>;

/** Someone a call can be transferred to: an enabled agent or supervisor of the tenant (no email: any staff may list). */
export const transferAgentSchema = z.object({
  id: idSchema,
  name: z.string(),
  role: z.enum(['agent', 'supervisor']),
  queues: z.array(z.string()),
}).meta({ id: 'TransferAgent' });
export const transferAgentsResponse = z.object({ items: z.array(transferAgentSchema) }).meta({ id: 'TransferAgents' });

/** The recording download: audio/wav bytes (whole file, or the requested byte range with 206). */
export const recordingBody = z.string().describe('audio/wav (PCM16, 2 channels: caller left, agent right)');

/** The timeline entry (`call.event` type) of a transfer to an agent: data { userId, by, toUserId, toName }. */
export const AGENT_TRANSFER_EVENT = 'transfer.agent';

/** Live call events on the bus (`DomainEvent.type`), for the console. */
export const CALL_EVENT_TYPES = {
  started: 'call.started',
  state: 'call.state',
  ended: 'call.ended',
  transcript: 'call.transcript',
  timeline: 'call.event',
} as const;
