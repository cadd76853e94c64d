/**
 * Health of one provider: active probes (a `Probe` opens a session or sends a minimal request, measured, with a
 * timeout, on an interval) and passive reports from live sessions (errors, timeouts, closes, stalls). Status is
 * healthy / degraded / down from the error rate and latency over a window; latency EWMA and p95; a bounded ring
 * of history. Status moves only on evidence (hysteresis): one failure among successes, or one success among
 * failures, does not flip it, so status and its bus events do not flap at a low error rate. Failover does not read
 * this status (breakers and live-session faults drive switching); routing only orders candidates by it.
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
  /** This many failures in a row is degraded whatever the rate. */
  degradedConsecutive?: number;
  /** The error-rate rules need at least this many samples in the window (one failure out of two is no rate). */
  minSamples?: number;
  /** After degraded or down, this many successes in a row (and no other evidence) are healthy again. */
  recoverSuccesses?: number;
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
  private consecutiveSuccesses = 0;
  /** The status decided at the last sample; evidence moves it, a lone sample does not. */
  private held: HealthStatus = 'unknown';
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
      degradedConsecutive: options.degradedConsecutive ?? 2,
      minSamples: options.minSamples ?? 5,
      recoverSuccesses: options.recoverSuccesses ?? 3,
    };
  }

  success(latencyMs: number | undefined, source: HealthSample['source'] = 'session'): void {
    if (latencyMs !== undefined) this.ewma = this.ewma === undefined ? latencyMs : this.options.ewmaAlpha * latencyMs + (1 - this.options.ewmaAlpha) * this.ewma;
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses++;
    this.add({ at: this.now(), source, ok: true, ...(latencyMs !== undefined ? { latencyMs } : {}) });
  }

  failure(kind: FailureKind, reason: string, source: HealthSample['source'] = 'session', latencyMs?: number): void {
    const at = this.now();
    this.consecutiveFailures++;
    this.consecutiveSuccesses = 0;
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

  /** The status held since the last sample, or unknown once the window has no samples. */
  get status(): HealthStatus {
    return this.recent().length === 0 ? 'unknown' : this.held;
  }

  /** Decides the status after a sample: what the evidence shows, kept where it shows nothing new. */
  private decide(): HealthStatus {
    const o = this.options;
    const recent = this.recent();
    if (recent.length === 0) return 'unknown';
    const rate = errorRate(recent);
    const enough = recent.length >= o.minSamples;
    if (this.consecutiveFailures >= o.downConsecutive || (enough && rate >= o.downErrorRate)) return 'down';
    // Bands, not lines: once degraded, the rate must fall to half its threshold (latency to 80 %) to stop counting.
    const bad = this.held === 'degraded' || this.held === 'down';
    const slow = (this.ewma ?? 0) > o.degradedLatencyMs * (bad ? 0.8 : 1);
    const rateLimit = bad ? o.degradedErrorRate / 2 : o.degradedErrorRate;
    if (this.consecutiveFailures >= o.degradedConsecutive || (enough && rate >= rateLimit) || slow) return 'degraded';
    // The first sample decides on its own; later, a lone failure keeps the status, and only a run of successes
    // brings a degraded or down provider back (down eases to degraded until then).
    const previous = recent.length === 1 || this.held === 'unknown' ? (this.consecutiveFailures > 0 ? 'degraded' : 'healthy') : this.held;
    if (previous === 'healthy' || this.consecutiveSuccesses >= o.recoverSuccesses) return 'healthy';
    return previous === 'down' && this.consecutiveFailures === 0 ? 'degraded' : previous;
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
    const status = this.held = this.decide();
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
