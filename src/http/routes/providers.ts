import type { FastifyInstance } from 'fastify';
import { ProviderAgent } from '../../ai/agents/provider-agent.js';
import type { FlowRef, ResolvedRouting } from '../../ai/router/tenant-routing.js';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { route } from '../route.js';

const iso = (ms: number) => new Date(ms).toISOString();
const conflict = (message: string) => new ApiError(409, 'conflict', message);

export async function registerProviderRoutes(app: FastifyInstance, platform: Platform): Promise<void> {
  const { accounts, providers, calls, flags } = platform;

  route(app, accounts, operations.getProvidersHealth, () => ({
    providers: providers.snapshot().map((p) => ({
      ...p,
      lastFailure: p.lastFailure ? { ...p.lastFailure, at: iso(p.lastFailure.at) } : null,
      lastCheckAt: p.lastCheckAt === null ? null : iso(p.lastCheckAt),
      breaker: { ...p.breaker, openedAt: p.breaker.openedAt === undefined ? null : iso(p.breaker.openedAt), lastTransitionAt: iso(p.breaker.lastTransitionAt) },
    })),
  }));

  route(app, accounts, operations.getProvidersHealthHistory, ({ query }) => ({
    samples: providers.history(query.provider).slice(-query.limit).map((s) => ({ ...s, at: iso(s.at) })),
  }));

  const routingView = (routing: ResolvedRouting) => {
    const states = new Map(providers.snapshot().map((p) => [p.provider, p]));
    return {
      policy: routing.policy, source: routing.source, flow: routing.flow,
      updatedAt: routing.updatedAt?.toISOString() ?? null, updatedBy: routing.updatedBy,
      providers: routing.providers.map((p) => ({ ...p, status: states.get(p.name)?.status ?? 'unknown', breaker: states.get(p.name)?.breaker.state ?? 'closed' })),
    };
  };
  // `?flow=` (id or key) addresses that flow's own routing; an unknown flow is a 404.
  const flowOf = async (tenantId: string, ref: string | undefined): Promise<FlowRef | undefined> => {
    if (ref === undefined) return undefined;
    const flow = await platform.providerRouting.flow(tenantId, ref);
    if (!flow) throw notFound('flow');
    return flow;
  };

  route(app, accounts, operations.getProviderRouting, async ({ caller, query }) =>
    routingView(await platform.providerRouting.get(caller.tenant.id, await flowOf(caller.tenant.id, query.flow))));

  route(app, accounts, operations.putProviderRouting, async ({ caller, query, body }) => {
    const configured = providers.providers;
    const names = body.providers.map((p) => p.name);
    const unknown = names.filter((n) => !configured.includes(n));
    if (unknown.length) throw new ApiError(422, 'unknown_provider', `not configured: ${unknown.join(', ')} (configured: ${configured.join(', ')})`);
    if (new Set(names).size !== names.length) throw new ApiError(422, 'duplicate_provider', 'each provider may be listed once');
    const flow = await flowOf(caller.tenant.id, query.flow);
    return routingView(await platform.providerRouting.put(caller.tenant.id, body, caller.label, flow));
  });

  route(app, accounts, operations.deleteProviderRouting, async ({ caller, query }) =>
    routingView(await platform.providerRouting.remove(caller.tenant.id, await flowOf(caller.tenant.id, query.flow))));

  // A manual switch runs where the call lives; a call live on another instance is answered 409 (not forwarded).
  route(app, accounts, operations.switchCallProvider, async ({ caller, params, body }) => {
    const tenantId = caller.tenant.id;
    if (!(await flags.isEnabled(tenantId, 'manual-provider-switch'))) throw forbidden('the manual-provider-switch feature is off for this tenant');
    const call = await calls.get(tenantId, params.id);
    if (!call) throw notFound('call');
    const agent = calls.session(call.id) ? calls.agentOf(call.id) : undefined;
    if (!agent) {
      throw conflict(['completed', 'failed', 'busy', 'no-answer', 'canceled'].includes(call.state)
        ? `the call is ${call.state}, not live`
        : 'the call is not live on this instance (not yet answered, or running on another instance)');
    }
    const failover = agent instanceof ProviderAgent ? agent.failover : null;
    if (!failover) throw conflict('the call is not on a provider agent with failover (provider-failover flag off, or a flow agent)');
    // The call's own candidates: configured, allowed for the tenant and not behind an open breaker.
    const usable = failover.providerNames;
    if (!usable.includes(body.provider)) {
      throw new ApiError(422, 'unknown_provider', `provider "${body.provider}" is not available to this call (available: ${usable.join(', ') || 'none'})`);
    }
    if (failover.provider === body.provider) throw conflict(`the call is already on ${body.provider}`);
    const done = await failover.switchTo(body.provider, body.reason ?? `switch to ${body.provider} requested by ${caller.label}`);
    if (!done) throw conflict('the switch could not be made (another switch in progress, the call ending, or no provider started)');
    const { detectedAt: _detectedAt, ...event } = done;
    return { callId: call.id, switch: event };
  });
}
