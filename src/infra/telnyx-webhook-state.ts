import { Redis } from 'ioredis';
import { appliesAfterHangup, phaseOf, type CallPhase, type CallPhases, type PhaseDecision, type SeenEvents, type TelnyxEventKind } from '../telephony/telnyx/index.js';

/**
 * The Telnyx webhook gate's memory shared by a fleet in Redis: a webhook Telnyx retries may reach another
 * instance, which must still see it as a repeat, and a call's phase must only move forward fleet-wide.
 */

/** Atomic compare-and-set of a call's phase: KEYS[1] phase key; ARGV: next phase ('' = none), kind, ttl ms. */
const OFFER_PHASE = `
local rank = { initiated = 0, answered = 1, ended = 2 }
local current = redis.call('GET', KEYS[1])
local nextPhase = ARGV[1]
if nextPhase ~= '' then
  if current and rank[current] >= rank[nextPhase] then return { 0, 'stale', current } end
  redis.call('SET', KEYS[1], nextPhase, 'PX', ARGV[3])
  return { 1, '', nextPhase }
end
if current == 'ended' and ARGV[2] == '0' then return { 0, 'after_hangup', current } end
return { 1, '', current or '' }
`;

export interface RedisWebhookStateOptions {
  prefix?: string;
  /** How long an event id is remembered (Telnyx retries for a while; 1 h by default). */
  eventTtlMs?: number;
  /** How long a call's phase is remembered after its last event (2 h by default). */
  phaseTtlMs?: number;
}

export class RedisTelnyxWebhookState implements SeenEvents, CallPhases {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly eventTtlMs: number;
  private readonly phaseTtlMs: number;

  constructor(url: string, options: RedisWebhookStateOptions = {}) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 3 });
    this.redis.on('error', () => {});
    this.prefix = options.prefix ?? 'sb:';
    this.eventTtlMs = options.eventTtlMs ?? 3_600_000;
    this.phaseTtlMs = options.phaseTtlMs ?? 7_200_000;
  }

  async firstTime(id: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}telnyx:event:${id}`, '1', 'PX', this.eventTtlMs, 'NX')) === 'OK';
  }

  async offer(callId: string, kind: TelnyxEventKind): Promise<PhaseDecision> {
    const reply = await this.redis.eval(OFFER_PHASE, 1, `${this.prefix}telnyx:phase:${callId}`,
      phaseOf(kind) ?? '', appliesAfterHangup(kind) ? '1' : '0', String(this.phaseTtlMs)) as [number, string, string];
    const [applied, reason, phase] = reply;
    if (applied === 1) return { apply: true, phase: phase === '' ? undefined : phase as CallPhase };
    return { apply: false, reason: reason as 'stale' | 'after_hangup', phase: phase as CallPhase };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
