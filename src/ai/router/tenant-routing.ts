/**
 * A tenant's provider routing: stored by an admin, else derived from the active scenario (primary, fallbacks),
 * else the configured order. Resolved over every configured provider: listed ones keep their settings, the
 * others follow, enabled (a provider configured later is usable until an admin turns it off).
 */
import type { ProviderRouting } from '../../contracts/providers.js';
import type { RoutingPolicy } from './policy.js';

export interface RouteEntry { name: string; priority: number; weight: number; enabled: boolean }
export interface ResolvedRouting {
  policy: ProviderRouting['policy'];
  source: 'tenant' | 'scenario' | 'default';
  updatedAt: Date | null;
  updatedBy: string | null;
  providers: RouteEntry[];
}

export interface TenantRoutingDeps {
  /** Names of the configured providers, in configured order. */
  configured: () => string[];
  load: (tenantId: string) => Promise<(ProviderRouting & { updatedAt: Date; updatedBy: string }) | null>;
  save: (tenantId: string, routing: ProviderRouting, by: string) => Promise<void>;
  /** The tenant's active scenario's providers, if a scenario is active. */
  scenario: (tenantId: string) => Promise<{ primary: string; fallbacks: readonly string[] } | null>;
}

/** API policy names → the router's. */
export const toRouterPolicy = (policy: ProviderRouting['policy']): RoutingPolicy => policy.replace('_', '-') as RoutingPolicy;

export class TenantRouting {
  constructor(private readonly deps: TenantRoutingDeps) {}

  async get(tenantId: string): Promise<ResolvedRouting> {
    const stored = await this.deps.load(tenantId);
    if (stored) return { ...this.resolve(stored.policy, stored.providers), source: 'tenant', updatedAt: stored.updatedAt, updatedBy: stored.updatedBy };
    const scenario = await this.deps.scenario(tenantId);
    if (scenario) {
      const names = [scenario.primary, ...scenario.fallbacks];
      return { ...this.resolve('priority', names.map((name) => ({ name, enabled: true }))), source: 'scenario', updatedAt: null, updatedBy: null };
    }
    return { ...this.resolve('priority', []), source: 'default', updatedAt: null, updatedBy: null };
  }

  async put(tenantId: string, routing: ProviderRouting, by: string): Promise<ResolvedRouting> {
    await this.deps.save(tenantId, routing, by);
    return this.get(tenantId);
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
