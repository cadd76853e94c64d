import type { FastifyInstance } from 'fastify';
import type { FlowRef, ResolvedRouting } from '../../ai/router/tenant-routing.js';
import { operations } from '../../contracts/operations.js';
import type { Platform } from '../../platform.js';
import { ApiError, forbidden, notFound } from '../errors.js';
import { route } from '../route.js';
import { SWITCH_ACTION, switchCallProvider, switchHere } from './provider-switch.js';

const iso = (ms: number) => new Date(ms).toISOString();

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

  // A manual switch runs where the call's media lives: here, or forwarded over the bus to that instance.
  calls.handleControl(SWITCH_ACTION, (callId, data) => switchHere(calls, callId, String(data['provider']), String(data['reason'])));
  route(app, accounts, operations.switchCallProvider, async ({ caller, params, body }) => {
    const tenantId = caller.tenant.id;
    if (!(await flags.isEnabled(tenantId, 'manual-provider-switch'))) throw forbidden('the manual-provider-switch feature is off for this tenant');
    return switchCallProvider(calls, tenantId, params.id, body.provider, body.reason ?? `switch to ${body.provider} requested by ${caller.label}`);
  });
}
