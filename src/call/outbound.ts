import type { Call, CreateCallRequest } from '../contracts/calls.js';
import type { CallRow } from '../store/repositories/calls.js';
import { CARRIER_ACCOUNT_NAMES } from './carrier-accounts.js';
import { CallError, callNotFound } from './errors.js';
import type { CallService } from './service.js';
import { InvalidTransitionError, isTerminal, type CallState } from './state.js';
import { toCall } from './views.js';

/** Calls the platform places or steers through a carrier's REST API (the CarrierClient registry). */

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Places an outbound call through the tenant's carrier; the agent joins when the carrier connects its media. */
export async function dial(service: CallService, tenantId: string, input: CreateCallRequest): Promise<Call> {
  const { accounts, clients, agents, repos } = service.options;
  if (!(await service.featureOn(tenantId, 'outbound-calls'))) {
    throw new CallError(403, 'feature_disabled', 'outbound calls are turned off for this tenant (feature flag outbound-calls)');
  }
  let carrier = input.carrier;
  if (!carrier) {
    const configured = (await accounts.list(tenantId)).filter((a) => a.configured);
    carrier = configured[0]?.carrier;
    if (!carrier) throw new CallError(409, 'carrier_not_configured', `no carrier is configured for this tenant: PUT /api/v1/carriers/{${CARRIER_ACCOUNT_NAMES.join('|')}} first`);
  }
  const credentials = await accounts.credentials(tenantId, carrier);
  if (!credentials) throw new CallError(409, 'carrier_not_configured', `${carrier} is not configured for this tenant: PUT /api/v1/carriers/${carrier} first`);
  const client = clients.get(carrier);
  if (!client) throw new CallError(409, 'carrier_unavailable', `this server has no ${carrier} client to place calls with`);

  const numbers = await repos.phoneNumbers.forCarrier(tenantId, carrier);
  const number = input.from ? numbers.find((n) => n.number === input.from) : numbers[0];
  if (!number) {
    throw new CallError(422, 'number_not_configured', input.from ? `${input.from} is not one of this tenant's ${carrier} numbers` : `this tenant has no ${carrier} number to call from: POST /api/v1/numbers first`);
  }
  const agentKind = input.agent ?? number.agentKind;
  if (!agents.has(agentKind)) throw new CallError(422, 'unknown_agent', `no agent of kind ${agentKind} on this server (known: ${agents.kinds().join(', ')})`);

  const { call } = await service.openCall({
    tenantId, direction: 'outbound', carrier, carrierCallId: null, fromNumber: number.number, toNumber: input.to, numberId: number.id, agentKind,
    metadata: input.metadata,
  });
  try {
    const { carrierCallId } = await client.dial({ callId: call.id, tenantId, from: number.number, to: input.to, credentials });
    const bound = await repos.calls.bindCarrierId(call.id, carrierCallId);
    return toCall(bound ?? call);
  } catch (err) {
    service.records.state({ id: call.id, tenantId }, { from: 'ringing', to: 'failed', at: new Date(), cause: `dial-failed: ${message(err)}`.slice(0, 200), source: 'platform' });
    await service.records.settled(call.id);
    throw new CallError(502, 'carrier_error', `${carrier} refused the call: ${message(err)}`);
  }
}

/**
 * Ends a call that is not live here at its carrier; false when no carrier API can (the browser, whose leg lives in
 * a socket, or a carrier without client or credentials).
 */
export async function hangupAtCarrier(service: CallService, row: CallRow, reason: string): Promise<boolean> {
  const client = service.options.clients.get(row.carrier);
  if (!client || !row.carrierCallId) return false;
  const credentials = await service.options.accounts.credentials(row.tenantId, row.carrier);
  if (!credentials) return false;
  try {
    await client.hangup(row.carrierCallId, credentials);
    return true;
  } catch (err) {
    service.options.log.warn({ err, callId: row.id, reason }, 'carrier hang-up failed');
    throw new CallError(502, 'carrier_error', `${row.carrier} refused the hang-up: ${message(err)}`);
  }
}

/** Cold transfer: through the live session here, else through the carrier's API. */
export async function transfer(service: CallService, tenantId: string, id: string, to: string): Promise<Call> {
  const { repos, clients, accounts } = service.options;
  const row = await repos.calls.byId(tenantId, id);
  if (!row) throw callNotFound();
  const state = row.state as CallState;
  if (isTerminal(state)) throw new CallError(409, 'call_ended', `the call already ended (${state})`);
  if (state !== 'in-progress' && state !== 'on-hold') throw new CallError(409, 'invalid_state', `a ${state} call cannot be transferred`);
  const live = service.session(id);
  try {
    if (live) {
      await live.transfer(to);
    } else {
      const client = clients.get(row.carrier);
      const credentials = await accounts.credentials(tenantId, row.carrier);
      if (!client || !credentials || !row.carrierCallId) throw new CallError(409, 'call_not_live', 'the call has no media here and its carrier cannot transfer it');
      const ref = { id, tenantId };
      service.records.state(ref, { from: state, to: 'transferring', at: new Date() });
      service.records.event(ref, 'transfer.requested', { to });
      await client.transfer(row.carrierCallId, to, credentials);
      service.records.state(ref, { from: 'transferring', to: 'completed', at: new Date(), cause: 'transferred', source: 'platform' });
    }
  } catch (err) {
    if (err instanceof CallError) throw err;
    if (err instanceof InvalidTransitionError) throw new CallError(409, 'invalid_state', err.message);
    throw new CallError(502, 'carrier_error', `${row.carrier} refused the transfer: ${message(err)}`);
  }
  await service.records.settled(id);
  return (await service.get(tenantId, id))!;
}
