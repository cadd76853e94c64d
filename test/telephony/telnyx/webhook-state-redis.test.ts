import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisTelnyxWebhookState } from '../../../src/infra/telnyx-webhook-state.js';
import { parseTelnyxWebhook, type TelnyxEvent } from '../../../src/telephony/telnyx/events.js';
import { simulatedCall, telnyxEvent } from '../../../src/telephony/telnyx/simulator.js';
import { TelnyxWebhookGate } from '../../../src/telephony/telnyx/webhook-dedup.js';
import { REDIS_URL } from '../../support/services.js';

/** Two instances sharing Redis act as one gate: a retried webhook that lands on the other instance is a repeat. */
const prefix = `sb-test-${randomUUID()}:`;
const states = [new RedisTelnyxWebhookState(REDIS_URL, { prefix }), new RedisTelnyxWebhookState(REDIS_URL, { prefix })] as const;
const [a, b] = states.map((s) => new TelnyxWebhookGate(s, s)) as [TelnyxWebhookGate, TelnyxWebhookGate];
afterAll(async () => { for (const s of states) await s.close(); });

const call = simulatedCall({ from: '+15550001111', to: '+15550002222' });
function event(kind: string, id = randomUUID(), callControlId = call.callControlId): TelnyxEvent {
  const parsed = parseTelnyxWebhook(Buffer.from(JSON.stringify(telnyxEvent(kind, { ...call, callControlId }, {}, { id }))));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.event;
}

describe('Telnyx webhook gate shared through Redis', () => {
  it('processes an event id once across instances', async () => {
    const e = event('call.initiated', `evt-${randomUUID()}`, `v3:${randomUUID()}`);
    expect(await a.admit(e)).toEqual({ apply: true });
    expect(await b.admit(e)).toEqual({ apply: false, reason: 'duplicate' });
    expect(await a.admit(e)).toEqual({ apply: false, reason: 'duplicate' });
  });

  it('moves a call only forward across instances', async () => {
    const id = `v3:${randomUUID()}`;
    expect(await a.admit(event('call.initiated', undefined, id))).toEqual({ apply: true });
    expect(await b.admit(event('call.hangup', undefined, id))).toEqual({ apply: true });
    expect(await a.admit(event('call.answered', undefined, id))).toEqual({ apply: false, reason: 'stale' });
    expect(await b.admit(event('streaming.started', undefined, id))).toEqual({ apply: false, reason: 'after_hangup' });
    expect(await a.admit(event('streaming.stopped', undefined, id))).toEqual({ apply: true });
    const other = `v3:${randomUUID()}`;
    expect(await b.admit(event('call.answered', undefined, other))).toEqual({ apply: true });
    expect(await a.admit(event('call.initiated', undefined, other))).toEqual({ apply: false, reason: 'stale' });
    expect(await a.admit(event('call.speak.ended', undefined, other))).toEqual({ apply: true });
  });

  it('decides concurrent deliveries of one event exactly once', async () => {
    const e = event('call.initiated', `evt-${randomUUID()}`, `v3:${randomUUID()}`);
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(e)));
    expect(decisions.filter((d) => d.apply)).toHaveLength(1);
  });
});
