import { z } from 'zod';

/** Domain events on the bus, delivered to console sockets and (later) webhooks. */
export const domainEventSchema = z.object({
  id: z.string(),
  type: z.string().regex(/^[a-z]+(\.[a-z_-]+)+$/),
  tenantId: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
}).meta({ id: 'DomainEvent' });
export type DomainEvent = z.infer<typeof domainEventSchema>;

/**
 * `call.started` data (CallRecords): the call's first facts, for the console's live views. `contactId`: the widget
 * contact a call belongs to (its `metadata.contactId`), so a contact's page adds the call as it starts.
 */
export const callStartedData = z.object({
  callId: z.string(), direction: z.string(), carrier: z.string(), from: z.string(), to: z.string(), agentKind: z.string(),
  state: z.string(), queue: z.string(), contactId: z.string().optional(),
});
export type CallStartedData = z.infer<typeof callStartedData>;

/** Console event socket (/api/v1/events): client → server. */
export const eventsClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('subscribe'), prefixes: z.array(z.string().max(64)).max(20) }),
]);

/** Console event socket: server → client. */
export const eventsServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), tenantId: z.string() }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
  z.object({ type: z.literal('event'), event: domainEventSchema }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type EventsServerMessage = z.infer<typeof eventsServerMessage>;

/**
 * Session socket (/api/v1/sessions/{id}/socket?token=…): JSON control messages; audio travels as binary frames
 * (browser-voice: PCM16 little-endian, 16 kHz, mono, 20 ms = 640 bytes per frame, both ways).
 */
export const sessionClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('end') }),
  /** A key the caller pressed. */
  z.object({ type: z.literal('dtmf'), digit: z.string().regex(/^[0-9*#A-D]$/) }),
  /** Echo of a server `mark` once the browser has played all audio sent before it. */
  z.object({ type: z.literal('mark'), name: z.string().min(1).max(64) }),
  /** Playback progress: total ms of agent audio the browser has played so far. */
  z.object({ type: z.literal('played'), ms: z.number().int().min(0) }),
]);
export type SessionClientMessage = z.infer<typeof sessionClientMessage>;

export const sessionServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), sessionId: z.string(), channel: z.string(),
    audioFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number(), frameMs: z.number() }) }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
  z.object({ type: z.literal('ended'), reason: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  /** browser-voice: the call this socket carries. */
  z.object({ type: z.literal('call'), callId: z.string(), agent: z.string() }),
  /** browser-voice: echo `{type:"mark",name}` back once everything sent before this has been played. */
  z.object({ type: z.literal('mark'), name: z.string() }),
  /** browser-voice: drop all queued agent audio now (barge-in). */
  z.object({ type: z.literal('clear') }),
  /** browser-voice: the call's transcript as it happens (captions); partials are replaced by the turn's final. */
  z.object({ type: z.literal('transcript'), speaker: z.enum(['caller', 'agent']), text: z.string(), final: z.boolean() }),
]);
export type SessionServerMessage = z.infer<typeof sessionServerMessage>;

/**
 * Provider events (instance-wide, published to every tenant's channel): a provider's health status or breaker
 * state changed. `data` of each type, for the console's live provider view.
 */
export const providerEventData = {
  'provider.health_changed': z.object({
    provider: z.string(), status: z.enum(['healthy', 'degraded', 'down', 'unknown']), previous: z.enum(['healthy', 'degraded', 'down', 'unknown']),
    latencyMs: z.number().nullable(), reason: z.string().nullable(), instanceId: z.string(),
  }),
  'provider.breaker_changed': z.object({
    provider: z.string(), state: z.enum(['closed', 'open', 'half_open']), previous: z.enum(['closed', 'open', 'half_open']), instanceId: z.string(),
  }),
} as const;
export type ProviderEventType = keyof typeof providerEventData;
export const providerEventTypes = Object.keys(providerEventData) as ProviderEventType[];
