/**
 * Health of one provider: active probes (a `Probe` opens a session or sends a minimal request, measured, with a
 * timeout, on an interval) and passive reports from live sessions (errors, timeouts, closes, stalls). Status is
 * healthy / degraded / down from the error rate and latency over a window; latency EWMA and p95; a bounded ring
 * of history.
 */
export type HealthStatus = 'healthy' | 'degraded' | 'down' | 'unknown';

/** One check of a provider; resolves when the handshake completed, rejects (or times out) when it did not. */
export type Probe = (signal: AbortSignal) => Promise<void>;

export type FailureKind = 'error' | 'timeout' | 'closed' | 'stall' | 'rate_limited' | 'probe';

export interface HealthSample {
  at: number;
  source: 'probe' | 'session';
  ok: boolean;
  latencyMs?: number;
  kind?: FailureKind;
  reason?: string;
}

export interface HealthOptions {
  /** Samples kept for status, p95 and history. */
  historySize?: number;
  /** Samples newer than this count for status and error rate. */
  windowMs?: number;
  ewmaAlpha?: number;
  /** Latency above this (EWMA) is degraded. */
  degradedLatencyMs?: number;
  /** Error rate at or above these marks degraded / down. */
  degradedErrorRate?: number;
  downErrorRate?: number;
  /** This many failures in a row is down whatever the rate. */
  downConsecutive?: number;
  now?: () => number;
}

export interface HealthSnapshot {
  provider: string;
  status: HealthStatus;
  latencyEwmaMs: number | null;
  latencyP95Ms: number | null;
  errorRate: number;
  samples: number;
  consecutiveFailures: number;
  lastFailure: { at: number; kind: FailureKind; reason: string } | null;
  lastCheckAt: number | null;
}

export class ProviderHealth {
  readonly provider: string;
  private readonly options: Required<Omit<HealthOptions, 'now'>>;
  private readonly now: () => number;
  private readonly ring: HealthSample[] = [];
  private ewma: number | undefined;
  private consecutiveFailures = 0;
  private lastFailure: HealthSnapshot['lastFailure'] = null;
  private readonly listeners = new Set<(sample: HealthSample, status: HealthStatus) => void>();

  constructor(provider: string, options: HealthOptions = {}) {
    this.provider = provider;
    this.now = options.now ?? Date.now;
    this.options = {
      historySize: options.historySize ?? 200,
      windowMs: options.windowMs ?? 5 * 60_000,
      ewmaAlpha: options.ewmaAlpha ?? 0.3,
      degradedLatencyMs: options.degradedLatencyMs ?? 1500,
      degradedErrorRate: options.degradedErrorRate ?? 0.1,
      downErrorRate: options.downErrorRate ?? 0.5,
      downConsecutive: options.downConsecutive ?? 3,
    };
  }

  success(latencyMs: number | undefined, source: HealthSample['source'] = 'session'): void {
    if (latencyMs !== undefined) this.ewma = this.ewma === undefined ? latencyMs : this.options.ewmaAlpha * latencyMs + (1 - this.options.ewmaAlpha) * this.ewma;
    this.consecutiveFailures = 0;
    this.add({ at: this.now(), source, ok: true, ...(latencyMs !== undefined ? { latencyMs } : {}) });
  }

  failure(kind: FailureKind, reason: string, source: HealthSample['source'] = 'session', latencyMs?: number): void {
    const at = this.now();
    this.consecutiveFailures++;
    this.lastFailure = { at, kind, reason };
    this.add({ at, source, ok: false, kind, reason, ...(latencyMs !== undefined ? { latencyMs } : {}) });
  }

  /** Runs one probe with a timeout and records it; resolves with the sample (never rejects). */
  async probe(probe: Probe, timeoutMs: number): Promise<HealthSample> {
    const controller = new AbortController();
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        probe(controller.signal),
        new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new ProbeTimeout(timeoutMs)), timeoutMs); }),
      ]);
      this.success(Math.round(performance.now() - started), 'probe');
    } catch (error) {
      controller.abort();
      const ms = Math.round(performance.now() - started);
      if (error instanceof ProbeTimeout) this.failure('timeout', error.message, 'probe', ms);
      else this.failure(isRateLimited(error) ? 'rate_limited' : 'probe', error instanceof Error ? error.message : String(error), 'probe', ms);
    } finally {
      clearTimeout(timer);
    }
    return this.ring[this.ring.length - 1]!;
  }

  get status(): HealthStatus {
    const recent = this.recent();
    if (recent.length === 0) return 'unknown';
    if (this.consecutiveFailures >= this.options.downConsecutive) return 'down';
    const rate = errorRate(recent);
    if (rate >= this.options.downErrorRate) return 'down';
    if (rate >= this.options.degradedErrorRate || this.consecutiveFailures > 0) return 'degraded';
    if ((this.ewma ?? 0) > this.options.degradedLatencyMs) return 'degraded';
    return 'healthy';
  }

  snapshot(): HealthSnapshot {
    const recent = this.recent();
    const latencies = recent.filter((s) => s.ok && s.latencyMs !== undefined).map((s) => s.latencyMs!);
    return {
      provider: this.provider,
      status: this.status,
      latencyEwmaMs: this.ewma === undefined ? null : Math.round(this.ewma),
      latencyP95Ms: latencies.length ? percentile(latencies, 0.95) : null,
      errorRate: recent.length ? Math.round(errorRate(recent) * 1000) / 1000 : 0,
      samples: recent.length,
      consecutiveFailures: this.consecutiveFailures,
      lastFailure: this.lastFailure,
      lastCheckAt: this.ring.length ? this.ring[this.ring.length - 1]!.at : null,
    };
  }

  /** The ring, oldest first (at most `historySize`). */
  history(limit = this.options.historySize): HealthSample[] {
    return this.ring.slice(-limit);
  }

  onSample(listener: (sample: HealthSample, status: HealthStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private recent(): HealthSample[] {
    const since = this.now() - this.options.windowMs;
    return this.ring.filter((s) => s.at >= since);
  }

  private add(sample: HealthSample): void {
    this.ring.push(sample);
    if (this.ring.length > this.options.historySize) this.ring.splice(0, this.ring.length - this.options.historySize);
    const status = this.status;
    for (const listener of [...this.listeners]) listener(sample, status);
  }
}

/** Runs each provider's probe every `intervalMs` (first one at once); `stop()` ends it. */
export class ProbeScheduler {
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly running = new Set<string>();

  start(health: ProviderHealth, probe: Probe, options: { intervalMs: number; timeoutMs: number }): void {
    const run = () => {
      if (this.running.has(health.provider)) return;
      this.running.add(health.provider);
      void health.probe(probe, options.timeoutMs).finally(() => this.running.delete(health.provider));
    };
    run();
    const timer = setInterval(run, options.intervalMs);
    timer.unref?.();
    this.timers.push(timer);
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}

class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`probe timed out after ${ms} ms`);
  }
}

function isRateLimited(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'rate_limited';
}

function errorRate(samples: readonly HealthSample[]): number {
  return samples.filter((s) => !s.ok).length / samples.length;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
