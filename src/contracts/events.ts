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

/** Session socket (/api/v1/sessions/{id}/socket?token=…): JSON control messages; audio travels as binary frames. */
export const sessionClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ping'), id: z.string().max(64).optional() }),
  z.object({ type: z.literal('end') }),
]);
export type SessionClientMessage = z.infer<typeof sessionClientMessage>;

export const sessionServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), sessionId: z.string(), channel: z.string(),
    audioFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number(), frameMs: z.number() }) }),
  z.object({ type: z.literal('pong'), id: z.string().optional() }),
  z.object({ type: z.literal('ended'), reason: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type SessionServerMessage = z.infer<typeof sessionServerMessage>;
