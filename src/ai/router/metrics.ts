/** Prometheus gauges and counters of provider health, breakers and switches, on the platform's registry. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { BreakerState } from './breaker.js';
import type { HealthStatus } from './health.js';

const STATUS_VALUE: Record<HealthStatus, number> = { unknown: -1, down: 0, degraded: 1, healthy: 2 };
const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

export class ProviderMetrics {
  readonly status: Gauge<'provider'>;
  readonly latencyEwma: Gauge<'provider'>;
  readonly latencyP95: Gauge<'provider'>;
  readonly errorRate: Gauge<'provider'>;
  readonly breaker: Gauge<'provider'>;
  readonly probes: Counter<'provider' | 'outcome'>;
  readonly failures: Counter<'provider' | 'kind'>;
  readonly switches: Counter<'from' | 'to' | 'reason'>;
  readonly switchSeconds: Histogram<'phase'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.status = new Gauge({ name: 'switchboard_provider_status', help: 'Provider health: 2 healthy, 1 degraded, 0 down, -1 unknown', labelNames: ['provider'], registers });
    this.latencyEwma = new Gauge({ name: 'switchboard_provider_latency_ewma_ms', help: 'Provider handshake latency, EWMA (ms)', labelNames: ['provider'], registers });
    this.latencyP95 = new Gauge({ name: 'switchboard_provider_latency_p95_ms', help: 'Provider handshake latency, p95 over the window (ms)', labelNames: ['provider'], registers });
    this.errorRate = new Gauge({ name: 'switchboard_provider_error_rate', help: 'Share of failed checks and sessions over the window', labelNames: ['provider'], registers });
    this.breaker = new Gauge({ name: 'switchboard_provider_breaker_state', help: 'Circuit breaker: 0 closed, 1 half-open, 2 open', labelNames: ['provider'], registers });
    this.probes = new Counter({ name: 'switchboard_provider_probes_total', help: 'Active probes by outcome', labelNames: ['provider', 'outcome'], registers });
    this.failures = new Counter({ name: 'switchboard_provider_failures_total', help: 'Provider failures seen by live sessions and probes, by kind', labelNames: ['provider', 'kind'], registers });
    this.switches = new Counter({ name: 'switchboard_provider_switches_total', help: 'Mid-call provider switches', labelNames: ['from', 'to', 'reason'], registers });
    this.switchSeconds = new Histogram({ name: 'switchboard_provider_switch_seconds', help: 'Failover detection and switch time', labelNames: ['phase'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5], registers });
  }

  setStatus(provider: string, status: HealthStatus): void {
    this.status.set({ provider }, STATUS_VALUE[status]);
  }

  setBreaker(provider: string, state: BreakerState): void {
    this.breaker.set({ provider }, BREAKER_VALUE[state]);
  }
}
