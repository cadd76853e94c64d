/**
 * A control request that wants an answer (a hang-up or hold does not: its answer is the state it records). The
 * asking instance publishes `call.control` with a `requestId`; the instance holding the call's leg runs the handler
 * registered for the action and publishes `call.control_reply` with the same id. No reply in time: `null`.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DomainEvent } from '../contracts/events.js';
import type { Bus, BusListener } from '../infra/bus.js';

export const CONTROL_REPLY_EVENT = 'call.control_reply';

/** The owner's answer: the action's result, or an error in the API's uniform terms (status, code, message). */
export const controlReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({ ok: z.literal(false), status: z.number().int().min(400).max(599), code: z.string(), message: z.string() }),
]);
export type ControlReply = z.infer<typeof controlReplySchema>;

/** Runs an action on a call live on this instance. */
export type ControlHandler = (callId: string, data: Record<string, unknown>) => Promise<ControlReply>;

/** Publishes the request and waits up to `timeoutMs` for the owner's reply. */
export async function requestControl(bus: Bus, target: { tenantId: string; callId: string }, action: string, data: Record<string, unknown>, timeoutMs: number): Promise<ControlReply | null> {
  const requestId = randomUUID();
  let settle: (reply: ControlReply | null) => void = () => {};
  const answered = new Promise<ControlReply | null>((resolve) => { settle = resolve; });
  const listener: BusListener = (event) => {
    if (event.type !== CONTROL_REPLY_EVENT || event.data['requestId'] !== requestId) return;
    const reply = controlReplySchema.safeParse(event.data['reply']);
    settle(reply.success ? reply.data : { ok: false, status: 502, code: 'bad_reply', message: 'the instance holding the call answered malformed data' });
  };
  // With Redis, listen for the reply before asking, so a fast answer is not missed.
  const ready = (bus as Partial<{ subscribeReady: (tenantId: string, l: BusListener) => Promise<() => void> }>).subscribeReady;
  const stop = ready ? await ready.call(bus, target.tenantId, listener) : bus.subscribe(target.tenantId, listener);
  const timer = setTimeout(() => settle(null), timeoutMs);
  try {
    await bus.publish({ id: randomUUID(), type: 'call.control', tenantId: target.tenantId, at: new Date().toISOString(), data: { callId: target.callId, action, requestId, ...data } });
    return await answered;
  } finally {
    clearTimeout(timer);
    stop();
  }
}

/** On the owning instance: runs the registered handler for a request and publishes its reply (never throws). */
export async function answerControl(bus: Bus, handlers: ReadonlyMap<string, ControlHandler>, event: DomainEvent): Promise<void> {
  const requestId = event.data['requestId'];
  const handler = handlers.get(String(event.data['action']));
  if (typeof requestId !== 'string' || !handler) return;
  const callId = String(event.data['callId']);
  const reply: ControlReply = await handler(callId, event.data).catch((err: unknown) =>
    ({ ok: false as const, status: 500, code: 'internal_error', message: err instanceof Error ? err.message : String(err) }));
  await bus.publish({ id: randomUUID(), type: CONTROL_REPLY_EVENT, tenantId: event.tenantId, at: new Date().toISOString(), data: { callId, requestId, reply } })
    .catch(() => undefined);
}
