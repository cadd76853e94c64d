import type { Call } from '../../contracts/calls.js';
import type { CallRow } from '../../store/repositories/calls.js';
import { CallError, callNotFound } from '../errors.js';
import { applyHold } from '../hold-control.js';
import type { CallService } from '../service.js';
import type { CallSession } from '../session.js';
import { isTerminal, type CallState } from '../state.js';
import { toCall } from '../views.js';
import { startCallerTranscript, stopCallerTranscript } from './live-transcript.js';
import { inScope, type CallScope } from './scope.js';

export interface Supervisor {
  userId: string | null;
  name: string;
  scope: CallScope;
}

/**
 * The live session of a call the supervisor may act on. 404 outside their scope (an agent of another queue),
 * 409 when it ended, or when its media is on another instance (the takeover socket must reach that one: the answer
 * names it in `details.instanceId`).
 */
export async function liveSessionFor(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<CallSession> {
  const row = await service.options.repos.calls.byId(tenantId, id);
  if (!row || !inScope(who.scope, row)) throw callNotFound();
  if (isTerminal(row.state as CallState)) throw new CallError(409, 'call_ended', `the call already ended (${row.state})`);
  const live = service.session(id);
  if (!live || live.ended) throw notLiveHere(service, row);
  return live;
}

/** 409 call_not_live: where the call's media is, when another instance holds it. */
function notLiveHere(service: CallService, row: CallRow): CallError {
  const here = service.options.instanceId ?? null;
  const owner = row.mediaInstance && row.mediaInstance !== here ? row.mediaInstance : null;
  return owner
    ? new CallError(409, 'call_not_live', `the call's media is on instance ${owner}, not this one (${here ?? 'unknown'}); connect to that instance`, { instanceId: owner, thisInstance: here })
    : new CallError(409, 'call_not_live', 'the call has no media on this instance (its media has not started)', { instanceId: null, thisInstance: here });
}

/**
 * Pauses the AI agent and makes the user the call's assignee; their browser then joins through the takeover socket.
 * A call on hold (one transferred to them: agent-transfer.ts) comes off hold, AI paused first, so the person talks.
 */
export async function takeover(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<Call> {
  const live = await liveSessionFor(service, tenantId, id, who);
  applyAiPause(service, live, true);
  if (live.state === 'on-hold') {
    applyHold(live, false);
    service.records.event({ id, tenantId }, 'unhold', { userId: who.userId, by: who.name, atMs: Math.round(live.nowMs()) });
  }
  return record(service, tenantId, id, who, 'takeover', { aiPaused: true, assignee: who.userId });
}

/**
 * Hands the call back to the AI agent (its session never stopped); the assignee stays for the record and the board.
 * A call live on another instance is handed back there, over the bus (as a hang-up is).
 */
export async function resumeAi(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<Call> {
  const row = await service.options.repos.calls.byId(tenantId, id);
  if (!row || !inScope(who.scope, row)) throw callNotFound();
  if (isTerminal(row.state as CallState)) throw new CallError(409, 'call_ended', `the call already ended (${row.state})`);
  if (!row.aiPaused) throw new CallError(409, 'ai_not_paused', 'the AI agent is already handling the call');
  const live = service.session(id);
  if (live && !live.ended) applyAiPause(service, live, false);
  else if (row.mediaInstance && row.mediaInstance !== service.options.instanceId) await service.control(row, { action: 'resume-ai' });
  else throw notLiveHere(service, row);
  return record(service, tenantId, id, who, 'handback', { aiPaused: false });
}

/**
 * On the instance holding the call: pauses or resumes its AI agent. While paused, the caller is transcribed here
 * (the agent hears nothing then); the person's own speech is transcribed by their takeover socket.
 */
export function applyAiPause(service: CallService, live: CallSession, paused: boolean): void {
  live.setAgentPaused(paused);
  if (paused) startCallerTranscript(service.options.transcriber, live, service.records);
  else stopCallerTranscript(live);
}

async function record(service: CallService, tenantId: string, id: string, who: Supervisor, type: 'takeover' | 'handback',
  change: { aiPaused: boolean; assignee?: string | null }): Promise<Call> {
  const { repos } = service.options;
  if (change.assignee !== undefined) await repos.calls.setAssignee(id, change.assignee);
  await repos.calls.setAiPaused(id, change.aiPaused);
  // Whoever took it over, a transferred call no longer waits for its agent.
  if (type === 'takeover') await repos.calls.clearAwaitingAssignee(id);
  const live = service.session(id);
  // Timeline: who did it, at which point of the recording (the transcript's time base; unknown on another instance).
  service.records.event({ id, tenantId }, type, { userId: who.userId, by: who.name, ...(live ? { atMs: Math.round(live.nowMs()) } : {}) });
  await service.records.settled(id);
  const row = await repos.calls.byId(tenantId, id);
  if (!row) throw callNotFound();
  return toCall(row);
}
