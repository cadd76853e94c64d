import type { EffectiveFlag, ScenarioName } from '../contracts/flags.js';
import type { Repositories } from '../store/index.js';
import { FLAGS, FLAGS_BY_NAME } from './catalogue.js';
import { evaluateFlag, type Environment } from './evaluate.js';
import { SCENARIOS_BY_NAME } from './scenarios.js';

export class UnknownFlagError extends Error {
  constructor(readonly flag: string) { super(`no flag named ${flag}`); this.name = 'UnknownFlagError'; }
}

interface TenantLayers { scenario: ScenarioName | null; overrides: Map<string, string>; loadedAt: number }

/** Cached tenant layers are re-read after this long, so changes made on another instance show up quickly. */
const CACHE_MS = 2000;

/** Answers feature flags per tenant (and user, for rollouts) and records every change. */
export class FlagService {
  private readonly cache = new Map<string, TenantLayers>();

  constructor(
    private readonly repos: Pick<Repositories, 'flags' | 'tenants'>,
    readonly environment: Environment,
    private readonly envOverrides: Readonly<Record<string, string>>,
    private readonly onChange: (tenantId: string, subject: string) => void = () => {},
  ) {}

  /** Forgets cached layers of a tenant (called on local changes and on bus events from other instances). */
  invalidate(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async layers(tenantId: string): Promise<TenantLayers> {
    const cached = this.cache.get(tenantId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached;
    const [tenant, overrides] = await Promise.all([this.repos.tenants.byId(tenantId), this.repos.flags.overrides(tenantId)]);
    const layers: TenantLayers = { scenario: (tenant?.scenario as ScenarioName | null) ?? null, overrides, loadedAt: Date.now() };
    this.cache.set(tenantId, layers);
    return layers;
  }

  async scenario(tenantId: string): Promise<ScenarioName | null> {
    return (await this.layers(tenantId)).scenario;
  }

  /** Every flag's effective value for a tenant; `subjectKey` (user id or tenant id) decides rollouts. */
  async list(tenantId: string, subjectKey: string = tenantId): Promise<EffectiveFlag[]> {
    const layers = await this.layers(tenantId);
    const scenarioFlags = layers.scenario ? SCENARIOS_BY_NAME.get(layers.scenario)?.flags ?? null : null;
    return FLAGS.map((def) => ({
      name: def.name,
      description: def.description,
      stage: def.stage,
      ...evaluateFlag(def, { environment: this.environment, env: this.envOverrides, scenario: scenarioFlags, tenant: layers.overrides }, subjectKey),
    }));
  }

  async get(tenantId: string, name: string, subjectKey: string = tenantId): Promise<EffectiveFlag> {
    if (!FLAGS_BY_NAME.has(name)) throw new UnknownFlagError(name);
    return (await this.list(tenantId, subjectKey)).find((f) => f.name === name)!;
  }

  async isEnabled(tenantId: string, name: string, subjectKey: string = tenantId): Promise<boolean> {
    return (await this.get(tenantId, name, subjectKey)).enabled;
  }

  async setOverride(tenantId: string, name: string, value: string | null, changedBy: string): Promise<void> {
    if (!FLAGS_BY_NAME.has(name)) throw new UnknownFlagError(name);
    await this.repos.flags.setOverride(tenantId, name, value, changedBy);
    this.invalidate(tenantId);
    this.onChange(tenantId, `flag:${name}`);
  }

  async setScenario(tenantId: string, scenario: ScenarioName | null, changedBy: string): Promise<void> {
    const old = await this.scenario(tenantId);
    await this.repos.tenants.setScenario(tenantId, scenario);
    await this.repos.flags.recordChange(tenantId, 'scenario', old, scenario, changedBy);
    this.invalidate(tenantId);
    this.onChange(tenantId, 'scenario');
  }
}
