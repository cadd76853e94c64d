import type { Call } from '../../contracts/calls.js';
import { CallError, callNotFound } from '../errors.js';
import type { CallService } from '../service.js';
import type { CallSession } from '../session.js';
import { isTerminal, type CallState } from '../state.js';
import { toCall } from '../views.js';
import { inScope, type CallScope } from './scope.js';

export interface Supervisor {
  userId: string | null;
  name: string;
  scope: CallScope;
}

/**
 * The live session of a call the supervisor may act on. 404 outside their scope (an agent of another queue),
 * 409 when it ended or its media is on another instance (the takeover socket must reach the same one).
 */
export async function liveSessionFor(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<CallSession> {
  const row = await service.options.repos.calls.byId(tenantId, id);
  if (!row || !inScope(who.scope, row)) throw callNotFound();
  if (isTerminal(row.state as CallState)) throw new CallError(409, 'call_ended', `the call already ended (${row.state})`);
  const live = service.session(id);
  if (!live || live.ended) throw new CallError(409, 'call_not_live', 'the call has no media on this instance');
  return live;
}

/** Pauses the AI agent and makes the user the call's assignee; their browser then joins through the takeover socket. */
export async function takeover(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<Call> {
  const live = await liveSessionFor(service, tenantId, id, who);
  live.setAgentPaused(true);
  return record(service, tenantId, id, who, 'takeover', { aiPaused: true, assignee: who.userId });
}

/** Hands the call back to the AI agent (its session never stopped); the assignee stays for the record and the board. */
export async function resumeAi(service: CallService, tenantId: string, id: string, who: Supervisor): Promise<Call> {
  const live = await liveSessionFor(service, tenantId, id, who);
  if (!live.agentPaused) throw new CallError(409, 'ai_not_paused', 'the AI agent is already handling the call');
  live.setAgentPaused(false);
  return record(service, tenantId, id, who, 'handback', { aiPaused: false });
}

async function record(service: CallService, tenantId: string, id: string, who: Supervisor, type: 'takeover' | 'handback',
  change: { aiPaused: boolean; assignee?: string | null }): Promise<Call> {
  const { repos } = service.options;
  if (change.assignee !== undefined) await repos.calls.setAssignee(id, change.assignee);
  await repos.calls.mergeMetadata(id, { aiPaused: change.aiPaused });
  const live = service.session(id);
  // Timeline: who did it, at which point of the recording (the transcript's time base).
  service.records.event({ id, tenantId }, type, { userId: who.userId, by: who.name, atMs: Math.round(live?.nowMs() ?? 0) });
  await service.records.settled(id);
  const row = await repos.calls.byId(tenantId, id);
  if (!row) throw callNotFound();
  return toCall(row);
}
