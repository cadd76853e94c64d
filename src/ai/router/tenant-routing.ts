/**
 * A tenant's provider routing: a flow's own (an admin's override for the calls that run or name that flow), else
 * the tenant's stored by an admin, else derived from the active scenario (primary, fallbacks), else the configured
 * order. Resolved over every configured provider: listed ones keep their settings, the others follow, enabled (a
 * provider configured later is usable until an admin turns it off).
 */
import type { ProviderRouting } from '../../contracts/providers.js';
import type { RoutingPolicy } from './policy.js';

export interface RouteEntry { name: string; priority: number; weight: number; enabled: boolean }
export interface ResolvedRouting {
  policy: ProviderRouting['policy'];
  source: 'flow' | 'tenant' | 'scenario' | 'default';
  /** The flow asked about (its key), whether or not it has its own routing (`source` says). */
  flow: string | null;
  updatedAt: Date | null;
  updatedBy: string | null;
  providers: RouteEntry[];
}

/** A tenant's flow, as phone numbers and calls name it (by id or key). */
export interface FlowRef { id: string; key: string }
type Stored = ProviderRouting & { updatedAt: Date; updatedBy: string };

export interface TenantRoutingDeps {
  /** Names of the configured providers, in configured order. */
  configured: () => string[];
  load: (tenantId: string) => Promise<Stored | null>;
  save: (tenantId: string, routing: ProviderRouting, by: string) => Promise<void>;
  /** Removes the tenant's routing, or the flow's (`flowId`); true when there was one. */
  remove: (tenantId: string, flowId?: string) => Promise<boolean>;
  /** The tenant's active scenario's providers, if a scenario is active. */
  scenario: (tenantId: string) => Promise<{ primary: string; fallbacks: readonly string[] } | null>;
  /** A tenant's flow by id or key. */
  flow: (tenantId: string, ref: string) => Promise<FlowRef | null>;
  loadForFlow: (tenantId: string, flowId: string) => Promise<Stored | null>;
  saveForFlow: (tenantId: string, flowId: string, routing: ProviderRouting, by: string) => Promise<void>;
}

/** API policy names → the router's. */
export const toRouterPolicy = (policy: ProviderRouting['policy']): RoutingPolicy => policy.replace('_', '-') as RoutingPolicy;

export class TenantRouting {
  constructor(private readonly deps: TenantRoutingDeps) {}

  /** A tenant's flow by id or key (null: no such flow). */
  flow(tenantId: string, ref: string): Promise<FlowRef | null> {
    return this.deps.flow(tenantId, ref);
  }

  /** The routing that applies: the flow's own when it has one, else the tenant's. */
  async get(tenantId: string, flow?: FlowRef): Promise<ResolvedRouting> {
    const own = flow ? await this.deps.loadForFlow(tenantId, flow.id) : null;
    if (own && flow) return { ...this.resolve(own.policy, own.providers), source: 'flow', flow: flow.key, updatedAt: own.updatedAt, updatedBy: own.updatedBy };
    const key = flow?.key ?? null;
    const stored = await this.deps.load(tenantId);
    if (stored) return { ...this.resolve(stored.policy, stored.providers), source: 'tenant', flow: key, updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
    const scenario = await this.deps.scenario(tenantId);
    if (scenario) {
      const names = [scenario.primary, ...scenario.fallbacks];
      return { ...this.resolve('priority', names.map((name) => ({ name, enabled: true }))), source: 'scenario', flow: key, updatedAt: null, updatedBy: null };
    }
    return { ...this.resolve('priority', []), source: 'default', flow: key, updatedAt: null, updatedBy: null };
  }

  /** For a call: the routing of the flow it names (by id or key), the tenant's when it names none or an unknown one. */
  async forCall(tenantId: string, flowRef?: string | null): Promise<ResolvedRouting> {
    const flow = flowRef ? await this.deps.flow(tenantId, flowRef) : null;
    return this.get(tenantId, flow ?? undefined);
  }

  async put(tenantId: string, routing: ProviderRouting, by: string, flow?: FlowRef): Promise<ResolvedRouting> {
    if (flow) await this.deps.saveForFlow(tenantId, flow.id, routing, by);
    else await this.deps.save(tenantId, routing, by);
    return this.get(tenantId, flow);
  }

  /** Drops the flow's own routing (it follows the tenant's again) or the tenant's (back to the scenario's). */
  async remove(tenantId: string, flow?: FlowRef): Promise<ResolvedRouting> {
    await this.deps.remove(tenantId, flow?.id);
    return this.get(tenantId, flow);
  }

  private resolve(policy: ProviderRouting['policy'], listed: ProviderRouting['providers']): Pick<ResolvedRouting, 'policy' | 'providers'> {
    const configured = this.deps.configured();
    const known = listed.filter((p) => configured.includes(p.name));
    const out: RouteEntry[] = known.map((p, i) => ({ name: p.name, priority: p.priority ?? i, weight: p.weight ?? 1, enabled: p.enabled }));
    for (const name of configured) {
      if (!out.some((p) => p.name === name)) out.push({ name, priority: out.length, weight: 1, enabled: true });
    }
    return { policy, providers: out };
  }
}
