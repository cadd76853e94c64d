/**
 * A manual provider switch of a live call, where its media is: on this instance directly, on another one over the
 * bus (`call.control` `switch-provider`, answered with `call.control_reply`). Both answer the same outcome.
 */
import { ProviderAgent } from '../../ai/agents/provider-agent.js';
import type { ControlReply } from '../../call/control-request.js';
import type { CallService } from '../../call/service.js';
import { providerSwitchSchema } from '../../contracts/providers.js';
import { ApiError } from '../errors.js';

export const SWITCH_ACTION = 'switch-provider';
/** How long an answer waits for the instance holding the call (a switch itself takes about a second). */
export const REMOTE_SWITCH_WAIT_MS = 5000;

const TERMINAL = ['completed', 'failed', 'busy', 'no-answer', 'canceled'];
const fail = (status: number, code: string, message: string): ControlReply => ({ ok: false, status, code, message });

/** On the instance holding the call: the switch, or why not (in the API's uniform terms). */
export async function switchHere(calls: CallService, callId: string, provider: string, reason: string): Promise<ControlReply> {
  const agent = calls.session(callId) ? calls.agentOf(callId) : undefined;
  if (!agent) return fail(409, 'conflict', 'the call is not live on this instance (not yet answered, or it just ended)');
  const failover = agent instanceof ProviderAgent ? agent.failover : null;
  if (!failover) return fail(409, 'conflict', 'the call is not on a provider agent with failover (provider-failover flag off, or a flow agent)');
  // The call's own candidates: configured, allowed for the tenant and not behind an open breaker.
  const usable = failover.providerNames;
  if (!usable.includes(provider)) return fail(422, 'unknown_provider', `provider "${provider}" is not available to this call (available: ${usable.join(', ') || 'none'})`);
  if (failover.provider === provider) return fail(409, 'conflict', `the call is already on ${provider}`);
  const done = await failover.switchTo(provider, reason);
  if (!done) return fail(409, 'conflict', 'the switch could not be made (another switch in progress, the call ending, or no provider started)');
  const { detectedAt: _detectedAt, ...event } = done;
  return { ok: true, result: { switch: event } };
}

/** Runs the switch where the call's media is and answers the switch event, or throws the uniform error. */
export async function switchCallProvider(calls: CallService, tenantId: string, callId: string, provider: string, reason: string) {
  const row = await calls.options.repos.calls.byId(tenantId, callId);
  if (!row) throw new ApiError(404, 'not_found', 'call not found');
  const here = calls.options.instanceId;
  let reply: ControlReply;
  if (calls.session(callId)) {
    reply = await switchHere(calls, callId, provider, reason);
  } else if (TERMINAL.includes(row.state)) {
    throw new ApiError(409, 'conflict', `the call is ${row.state}, not live`);
  } else if (row.mediaInstance && row.mediaInstance !== here) {
    const answer = await calls.requestControl(row, SWITCH_ACTION, { provider, reason }, REMOTE_SWITCH_WAIT_MS);
    if (!answer) {
      throw new ApiError(503, 'unavailable', `the instance holding the call's media did not answer within ${REMOTE_SWITCH_WAIT_MS} ms (the switch may still happen; see the call's timeline)`, { instanceId: row.mediaInstance });
    }
    reply = answer;
  } else {
    throw new ApiError(409, 'conflict', 'the call is not live on any instance (its media has not started)');
  }
  if (!reply.ok) throw new ApiError(reply.status, reply.code, reply.message);
  const parsed = providerSwitchSchema.safeParse(reply.result['switch']);
  if (!parsed.success) throw new ApiError(502, 'bad_reply', 'the instance holding the call answered a malformed switch');
  return { callId, switch: parsed.data };
}
