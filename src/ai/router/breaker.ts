/**
 * A circuit breaker per provider (and credential): closed → open after `failureThreshold` failures within
 * `windowMs` → half-open after `cooldownMs` (one trial at a time) → closed after `successThreshold` successes;
 * a failure while half-open opens it again. The clock is injectable so tests drive time.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  failureThreshold?: number;
  windowMs?: number;
  cooldownMs?: number;
  successThreshold?: number;
  now?: () => number;
}

export interface BreakerSnapshot {
  state: BreakerState;
  failures: number;
  openedAt: number | undefined;
  lastTransitionAt: number;
}

export class CircuitBreaker {
  readonly failureThreshold: number;
  readonly windowMs: number;
  readonly cooldownMs: number;
  readonly successThreshold: number;
  private readonly now: () => number;
  private current: BreakerState = 'closed';
  private failures: number[] = [];
  private successes = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;
  private lastTransitionAt: number;
  private readonly listeners = new Set<(state: BreakerState, previous: BreakerState) => void>();

  constructor(options: BreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 3;
    this.windowMs = options.windowMs ?? 30_000;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.successThreshold = options.successThreshold ?? 2;
    this.now = options.now ?? Date.now;
    this.lastTransitionAt = this.now();
  }

  /** The state now (an open breaker whose cooldown ran out reads half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.openedAt !== undefined && this.now() - this.openedAt >= this.cooldownMs) this.move('half_open');
    return this.current;
  }

  /** May a request go through? Half-open lets one trial through at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  /** Could a request go through (without taking the half-open trial)? For routing. */
  available(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half_open' && !this.trialInFlight);
  }

  success(): void {
    const state = this.state;
    this.trialInFlight = false;
    if (state === 'half_open') {
      if (++this.successes >= this.successThreshold) this.move('closed');
    }
  }

  failure(): void {
    const state = this.state;
    const now = this.now();
    this.trialInFlight = false;
    if (state === 'half_open') return this.open(now);
    if (state === 'open') return;
    this.failures = this.failures.filter((at) => now - at < this.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.failureThreshold) this.open(now);
  }

  /** Back to closed (an operator reset). */
  reset(): void {
    this.failures = [];
    this.trialInFlight = false;
    this.move('closed');
  }

  onChange(listener: (state: BreakerState, previous: BreakerState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): BreakerSnapshot {
    const state = this.state;
    const now = this.now();
    return { state, failures: this.failures.filter((at) => now - at < this.windowMs).length, openedAt: this.openedAt, lastTransitionAt: this.lastTransitionAt };
  }

  private open(now: number): void {
    this.openedAt = now;
    this.move('open');
  }

  private move(next: BreakerState): void {
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.lastTransitionAt = this.now();
    this.successes = 0;
    if (next === 'closed') {
      this.failures = [];
      this.openedAt = undefined;
    }
    for (const listener of [...this.listeners]) listener(next, previous);
  }
}
