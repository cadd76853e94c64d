/**
 * `ProviderRouter`: the configured providers with their health, breaker and probe; orders candidates by the
 * routing policy and builds `FailoverSession`s whose failures feed health and breakers back.
 */
import type { AiSession, ProviderHooks } from '../session.js';
import { CircuitBreaker, type BreakerOptions, type BreakerSnapshot, type BreakerState } from './breaker.js';
import { FailoverSession, type FailoverOptions, type ProviderCandidate, type ProviderOutcome, type ProviderSwitch } from './failover-session.js';
import { ProbeScheduler, ProviderHealth, type HealthOptions, type HealthSample, type HealthSnapshot, type HealthStatus, type Probe } from './health.js';
import type { ProviderMetrics } from './metrics.js';
import { orderCandidates, RoutingState, type RoutingPolicy } from './policy.js';
import type { RouteEntry } from './tenant-routing.js';

export interface ProviderConfig {
  name: string;
  /** A new, unstarted session of this provider; none = health only (not a failover candidate). */
  create?: () => AiSession;
  /** Active health check; none = passive health only. */
  probe?: Probe;
  priority?: number;
  weight?: number;
}

export interface RouterOptions {
  policy?: RoutingPolicy;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  breaker?: Omit<BreakerOptions, 'now'>;
  health?: Omit<HealthOptions, 'now'>;
  metrics?: ProviderMetrics;
  now?: () => number;
  random?: () => number;
  onSwitch?: (event: ProviderSwitch) => void;
  /** A provider's status changed (healthy / degraded / down): the platform publishes `provider.health_changed`. */
  onHealthChange?: (event: HealthChange) => void;
  /** A breaker changed state: the platform publishes `provider.breaker_changed`. */
  onBreakerChange?: (event: BreakerChange) => void;
}

export interface HealthChange { provider: string; status: HealthStatus; previous: HealthStatus; latencyMs: number | null; reason: string | null }
export interface BreakerChange { provider: string; state: BreakerState; previous: BreakerState }

export interface ProviderState extends HealthSnapshot {
  breaker: BreakerSnapshot;
  probed: boolean;
}

interface Entry { config: ProviderConfig; health: ProviderHealth; breaker: CircuitBreaker }

export class ProviderRouter {
  private readonly entries = new Map<string, Entry>();
  private readonly scheduler = new ProbeScheduler();
  private readonly state = new RoutingState();
  private readonly options: RouterOptions;

  constructor(providers: readonly ProviderConfig[], options: RouterOptions = {}) {
    this.options = options;
    const now = options.now ?? Date.now;
    for (const config of providers) {
      const health = new ProviderHealth(config.name, { ...options.health, now });
      const breaker = new CircuitBreaker({ ...options.breaker, now });
      const metrics = options.metrics;
      let last: HealthStatus = 'unknown';
      health.onSample((sample, status) => {
        metrics?.setStatus(config.name, status);
        if (status !== last) {
          const previous = last;
          last = status;
          options.onHealthChange?.({ provider: config.name, status, previous, latencyMs: sample.latencyMs ?? null, reason: sample.ok ? null : sample.reason ?? sample.kind ?? 'error' });
        }
        const snap = health.snapshot();
        if (snap.latencyEwmaMs !== null) metrics?.latencyEwma.set({ provider: config.name }, snap.latencyEwmaMs);
        if (snap.latencyP95Ms !== null) metrics?.latencyP95.set({ provider: config.name }, snap.latencyP95Ms);
        metrics?.errorRate.set({ provider: config.name }, snap.errorRate);
        if (sample.source === 'probe') metrics?.probes.inc({ provider: config.name, outcome: sample.ok ? 'ok' : sample.kind ?? 'error' });
        if (!sample.ok) metrics?.failures.inc({ provider: config.name, kind: sample.kind ?? 'error' });
        if (sample.ok) breaker.success();
        else breaker.failure();
      });
      breaker.onChange((state, previous) => {
        metrics?.setBreaker(config.name, state);
        options.onBreakerChange?.({ provider: config.name, state, previous });
      });
      metrics?.setBreaker(config.name, 'closed');
      metrics?.setStatus(config.name, 'unknown');
      this.entries.set(config.name, { config, health, breaker });
    }
  }

  get providers(): string[] {
    return [...this.entries.keys()];
  }

  /** Providers a call can run on (those with sessions; `local` is health only). */
  get sessionProviders(): string[] {
    return [...this.entries.values()].filter((e) => e.config.create).map((e) => e.config.name);
  }

  /** Starts the active probes. */
  startProbes(): void {
    for (const { config, health } of this.entries.values()) {
      if (config.probe) this.scheduler.start(health, config.probe, { intervalMs: this.options.probeIntervalMs ?? 15_000, timeoutMs: this.options.probeTimeoutMs ?? 5000 });
    }
  }

  /** Probes every provider once now (tests, the API's refresh). */
  async probeAll(): Promise<void> {
    await Promise.all([...this.entries.values()].filter((e) => e.config.probe).map((e) => e.health.probe(e.config.probe!, this.options.probeTimeoutMs ?? 5000)));
  }

  stop(): void {
    this.scheduler.stop();
  }

  /** Candidates in policy order: open breakers left out, down providers last. `peek`: list them without advancing round robin. */
  candidates(policy: RoutingPolicy = this.options.policy ?? 'priority', routes?: readonly RouteEntry[], { peek = false } = {}): ProviderCandidate[] {
    const views = [...this.entries.values()].flatMap(({ config, health, breaker }) => {
      const snap = health.snapshot();
      const route = routes?.find((r) => r.name === config.name);
      if (route && !route.enabled) return [];
      return [{ name: config.name, status: snap.status, latencyMs: snap.latencyEwmaMs, available: breaker.available(), priority: route?.priority ?? config.priority ?? 0, weight: route?.weight ?? config.weight ?? 1 }];
    });
    const order = orderCandidates(views, { policy, peek, ...(this.options.random ? { random: this.options.random } : {}) }, this.state);
    return order.flatMap((name) => {
      const { create } = this.entries.get(name)!.config;
      return create ? [{ name, create }] : [];
    });
  }

  /** Passive health from a live session. */
  report(provider: string, outcome: ProviderOutcome): void {
    const entry = this.entries.get(provider);
    if (!entry) return;
    if (outcome.ok) entry.health.success(outcome.latencyMs, 'session');
    else entry.health.failure(outcome.kind === 'start_failed' || outcome.kind === 'manual' || outcome.kind === 'rollover' ? 'error' : outcome.kind, outcome.reason, 'session');
  }

  /**
   * A session that fails over between the configured providers (the `provider-failover` flag decides whether to use it).
   * `routes` (the tenant's routing) set priority, weight and enabled per provider; `allow` keeps only the providers the call may use (the tenant's ai-realtime / ai-cascade flags); `prefer` is tried
   * first while its breaker is closed (the number's own provider), the rest follow the policy.
   */
  session(options: Omit<FailoverOptions, 'candidates' | 'report'> & { policy?: RoutingPolicy; routes?: readonly RouteEntry[]; hooks?: ProviderHooks; prefer?: string; allow?: readonly string[] } = {}): FailoverSession {
    const { policy, routes, prefer, allow, ...rest } = options;
    const candidates = ({ peek = false } = {}) => {
      const list = this.candidates(policy, routes, { peek }).filter((c) => !allow || allow.includes(c.name));
      const first = prefer ? list.find((c) => c.name === prefer) : undefined;
      return first ? [first, ...list.filter((c) => c !== first)] : list;
    };
    const session = new FailoverSession({ ...rest, candidates, report: (provider, outcome) => this.report(provider, outcome) });
    session.onSwitch((event) => {
      this.options.metrics?.switches.inc({ from: event.from, to: event.to, reason: event.reason });
      this.options.metrics?.switchSeconds.observe({ phase: 'detection' }, event.detectionMs / 1000);
      this.options.metrics?.switchSeconds.observe({ phase: 'switch' }, event.switchMs / 1000);
      this.options.onSwitch?.(event);
    });
    return session;
  }

  snapshot(): ProviderState[] {
    return [...this.entries.values()].map(({ config, health, breaker }) => ({ ...health.snapshot(), breaker: breaker.snapshot(), probed: config.probe !== undefined }));
  }

  history(provider?: string, limit?: number): Array<HealthSample & { provider: string }> {
    const out: Array<HealthSample & { provider: string }> = [];
    for (const [name, { health }] of this.entries) {
      if (provider && name !== provider) continue;
      for (const sample of health.history(limit)) out.push({ provider: name, ...sample });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  health(provider: string): ProviderHealth | undefined {
    return this.entries.get(provider)?.health;
  }

  breaker(provider: string): CircuitBreaker | undefined {
    return this.entries.get(provider)?.breaker;
  }
}
