/**
 * Transfer to an agent: the call goes on hold (the caller hears hold audio, the AI neither hears nor speaks), becomes
 * the agent's (its assignee, so their scope and live board include it) and waits for them (`awaitingAssignee`). The
 * agent then takes it over (takeover.ts), which takes it off hold and connects them.
 */
import { AGENT_TRANSFER_EVENT, type Call } from '../../contracts/calls.js';
import { CallError, callNotFound } from '../errors.js';
import { setCallHold } from '../hold-control.js';
import type { CallService } from '../service.js';
import { isTerminal, type CallState } from '../state.js';
import { toCall } from '../views.js';
import { inScope } from './scope.js';
import type { Supervisor } from './takeover.js';

/** The user the call is transferred to, as found in the tenant (null: no such user in this tenant). */
export interface TransferTarget {
  id: string;
  name: string;
  role: string;
  disabled: boolean;
}

/** Roles that take calls over; admins and analysts are not offered calls. */
export const TRANSFER_ROLES = ['agent', 'supervisor'] as const;

export async function transferToAgent(service: CallService, tenantId: string, id: string, who: Supervisor, target: TransferTarget | null): Promise<Call> {
  const { repos } = service.options;
  const row = await repos.calls.byId(tenantId, id);
  if (!row || !inScope(who.scope, row)) throw callNotFound();
  // An unknown id and another tenant's user answer alike: no probing for users of other tenants.
  if (!target) throw new CallError(422, 'unknown_agent', 'no such agent in this tenant');
  if (target.disabled || !(TRANSFER_ROLES as readonly string[]).includes(target.role)) {
    throw new CallError(422, 'not_an_agent', `${target.name} cannot take calls (an enabled agent or supervisor can)`);
  }
  if (target.id === who.userId) throw new CallError(422, 'same_agent', 'the call cannot be transferred to yourself');
  const state = row.state as CallState;
  if (isTerminal(state)) throw new CallError(409, 'call_ended', `the call already ended (${state})`);
  // A call already on hold stays so; an answered one is held first (here, or where its media is).
  if (state === 'in-progress') await setCallHold(service, tenantId, id, who, true);
  else if (state !== 'on-hold') throw new CallError(409, 'invalid_state', `a ${state} call cannot be transferred to an agent`);
  await repos.calls.assignForTransfer(id, target.id);
  // After the assignment is stored: the event sockets look the call up again when this entry passes.
  service.records.event({ id, tenantId }, AGENT_TRANSFER_EVENT, { userId: who.userId, by: who.name, toUserId: target.id, toName: target.name });
  await service.records.settled(id);
  const after = await repos.calls.byId(tenantId, id);
  if (!after) throw callNotFound();
  return toCall(after);
}
