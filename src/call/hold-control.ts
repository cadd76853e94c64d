/**
 * The API's hold and resume of a call. The media moves where the call's leg is: on this instance directly, on
 * another one over the bus (`call.control`, as a hang-up), then the answer waits briefly for the state it recorded.
 */
import type { Call } from '../contracts/calls.js';
import { CallError, callNotFound } from './errors.js';
import type { CallService } from './service.js';
import type { CallSession } from './session.js';
import { isTerminal, type CallState } from './state.js';
import { inScope } from './supervision/scope.js';
import type { Supervisor } from './supervision/takeover.js';
import { toCall } from './views.js';

/** How long an answer waits for the instance holding the media to record the move. */
const REMOTE_WAIT_MS = 2000;

export async function setCallHold(service: CallService, tenantId: string, id: string, who: Supervisor, held: boolean): Promise<Call> {
  const { repos } = service.options;
  const row = await repos.calls.byId(tenantId, id);
  if (!row || !inScope(who.scope, row)) throw callNotFound();
  const live = service.session(id);
  const state = live && !live.ended ? live.state : (row.state as CallState);
  const from: CallState = held ? 'in-progress' : 'on-hold';
  if (isTerminal(state)) throw new CallError(409, 'call_ended', `the call already ended (${state})`);
  if (state !== from) throw new CallError(409, 'invalid_state', held ? `a ${state} call cannot be put on hold` : `the call is not on hold (${state})`);
  if (live && !live.ended) {
    applyHold(live, held);
    service.records.event({ id, tenantId }, held ? 'hold' : 'unhold', { userId: who.userId, by: who.name, atMs: Math.round(live.nowMs()) });
  } else if (row.mediaInstance && row.mediaInstance !== service.options.instanceId) {
    await service.control(row, { action: held ? 'hold' : 'resume' });
    service.records.event({ id, tenantId }, held ? 'hold' : 'unhold', { userId: who.userId, by: who.name });
    await waitForState(service, tenantId, id, held ? 'on-hold' : 'in-progress');
  } else {
    throw new CallError(409, 'call_not_live', 'the call has no media on this instance (its media has not started)');
  }
  // Off hold, a call transferred to an agent no longer waits for them (it is back with the AI, or its person).
  if (!held) await repos.calls.clearAwaitingAssignee(id);
  await service.records.settled(id);
  const after = await repos.calls.byId(tenantId, id);
  if (!after) throw callNotFound();
  return toCall(after);
}

/** On the instance holding the call: hold or resume unless it already is (a repeated bus request is harmless). */
export function applyHold(live: CallSession, held: boolean): void {
  if (held && live.state === 'in-progress') live.hold();
  else if (!held && live.state === 'on-hold') live.resume();
}

async function waitForState(service: CallService, tenantId: string, id: string, want: CallState): Promise<void> {
  const until = Date.now() + REMOTE_WAIT_MS;
  while (Date.now() < until) {
    const row = await service.options.repos.calls.byId(tenantId, id);
    if (!row || row.state === want || isTerminal(row.state as CallState)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
