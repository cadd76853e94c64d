import type { TelnyxEvent, TelnyxEventKind } from './events.js';
import { eventCallId } from './events.js';

/**
 * Telnyx delivers webhooks at least once and in no guaranteed order. Two guards, applied in this order:
 * 1. `SeenEvents`: an event id is processed once.
 * 2. `CallPhases`: a call only moves forward (initiated → answered → hangup); a late `call.answered`
 *    after `call.hangup`, or `call.initiated` after `call.answered`, is not applied.
 * One instance keeps both in memory; a fleet shares them in Redis (src/infra/telnyx-webhook-state.ts), since a
 * retried webhook may reach another instance.
 */
export interface SeenEvents {
  /** True the first time an id is offered (within the retention window), false for every repeat. */
  firstTime(id: string): Promise<boolean>;
}

export interface BoundedOptions {
  /** How long an entry is remembered (ms). */
  ttlMs?: number;
  /** Most entries kept; the oldest are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

/** Remembers ids in insertion order with a TTL and a size cap (Map order = age order). */
class BoundedMap<V> {
  private readonly map = new Map<string, { value: V; expiresAt: number }>();
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly now: () => number;

  constructor(options: BoundedOptions, defaults: { ttlMs: number; maxEntries: number }) {
    this.ttlMs = options.ttlMs ?? defaults.ttlMs;
    this.maxEntries = options.maxEntries ?? defaults.maxEntries;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Sets (and refreshes the age of) an entry, then evicts expired and excess entries from the old end. */
  set(key: string, value: V): void {
    const now = this.now();
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: now + this.ttlMs });
    for (const [k, e] of this.map) {
      if (this.map.size <= this.maxEntries && e.expiresAt > now) break;
      this.map.delete(k);
    }
  }
}

/** In-process `SeenEvents` (one instance). Default: 1 h, 100 000 ids. */
export class InMemorySeenEvents implements SeenEvents {
  private readonly seen: BoundedMap<true>;
  constructor(options: BoundedOptions = {}) {
    this.seen = new BoundedMap(options, { ttlMs: 3_600_000, maxEntries: 100_000 });
  }

  get size(): number {
    return this.seen.size;
  }

  firstTime(id: string): Promise<boolean> {
    if (this.seen.get(id) !== undefined) return Promise.resolve(false);
    this.seen.set(id, true);
    return Promise.resolve(true);
  }
}

export type CallPhase = 'initiated' | 'answered' | 'ended';
const RANK: Record<CallPhase, number> = { initiated: 0, answered: 1, ended: 2 };
const PHASE_OF: Partial<Record<TelnyxEventKind, CallPhase>> = {
  'call.initiated': 'initiated',
  'call.answered': 'answered',
  'call.hangup': 'ended',
};

/** The phase a Telnyx event moves its call to; undefined for events that are not phase changes. */
export function phaseOf(kind: TelnyxEventKind): CallPhase | undefined {
  return PHASE_OF[kind];
}

/** Events that are normal around a hang-up and apply even after it. */
export function appliesAfterHangup(kind: TelnyxEventKind): boolean {
  return kind === 'streaming.stopped' || kind === 'streaming.failed';
}

export type PhaseDecision =
  | { apply: true; phase: CallPhase | undefined }
  | { apply: false; reason: 'stale' | 'after_hangup'; phase: CallPhase };

/** Decides whether an event moves its call forward and, when it does, records the new phase. */
export interface CallPhases {
  offer(callId: string, kind: TelnyxEventKind): PhaseDecision | Promise<PhaseDecision>;
}

/**
 * Per-call phase, bounded (default 2 h after the last event, 50 000 calls). Phase events apply only when they
 * move the call forward; other events (streaming.*, unknown) apply unless the call has ended, except
 * `streaming.stopped|failed`, which are normal around a hang-up and always apply.
 */
export class CallPhaseTracker implements CallPhases {
  private readonly phases: BoundedMap<CallPhase>;
  constructor(options: BoundedOptions = {}) {
    this.phases = new BoundedMap(options, { ttlMs: 7_200_000, maxEntries: 50_000 });
  }

  get size(): number {
    return this.phases.size;
  }

  phase(callId: string): CallPhase | undefined {
    return this.phases.get(callId);
  }

  /** Decides and, when applied, records the new phase. */
  offer(callId: string, kind: TelnyxEventKind): PhaseDecision {
    const current = this.phases.get(callId);
    const next = PHASE_OF[kind];
    if (next !== undefined) {
      if (current !== undefined && RANK[next] <= RANK[current]) return { apply: false, reason: 'stale', phase: current };
      this.phases.set(callId, next);
      return { apply: true, phase: next };
    }
    if (current === 'ended' && !appliesAfterHangup(kind)) {
      return { apply: false, reason: 'after_hangup', phase: current };
    }
    return { apply: true, phase: current };
  }
}

export type GateDecision = { apply: true } | { apply: false; reason: 'duplicate' | 'stale' | 'after_hangup' };

/** Both guards for the webhook route: `admit(event)` says whether to act on it. */
export class TelnyxWebhookGate {
  constructor(
    readonly seen: SeenEvents = new InMemorySeenEvents(),
    readonly phases: CallPhases = new CallPhaseTracker(),
  ) {}

  async admit(event: TelnyxEvent): Promise<GateDecision> {
    if (!(await this.seen.firstTime(event.id))) return { apply: false, reason: 'duplicate' };
    const callId = eventCallId(event);
    if (callId === undefined) return { apply: true };
    const decision = await this.phases.offer(callId, event.kind);
    return decision.apply ? { apply: true } : { apply: false, reason: decision.reason };
  }
}
