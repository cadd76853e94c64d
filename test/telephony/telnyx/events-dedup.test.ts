import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  decodeClientState,
  decodeClientStateJson,
  encodeClientState,
  hangupSourceOf,
  parseTelnyxWebhook,
} from '../../../src/telephony/telnyx/events.js';
import type { TelnyxEvent } from '../../../src/telephony/telnyx/events.js';
import { CallPhaseTracker, InMemorySeenEvents, TelnyxWebhookGate } from '../../../src/telephony/telnyx/webhook-dedup.js';
import { simulatedCall, telnyxEvent } from '../../../src/telephony/telnyx/simulator.js';

const call = simulatedCall({ from: '+15550001111', to: '+15550002222' });

function parsed(type: string, extra: Record<string, unknown> = {}, id?: string): TelnyxEvent {
  const r = parseTelnyxWebhook(JSON.stringify(telnyxEvent(type, call, extra, { id })));
  if (!r.ok) throw new Error(`${r.reason}: ${r.detail}`);
  return r.event;
}

describe('Telnyx webhook events', () => {
  it('parses the envelope and the call events', () => {
    const init = parsed('call.initiated', { client_state: encodeClientState({ tenant: 't1' }) });
    expect(init.kind).toBe('call.initiated');
    if (init.kind !== 'call.initiated') throw new Error();
    expect(init.payload).toMatchObject({ call_control_id: call.callControlId, from: '+15550001111', direction: 'incoming' });
    expect(decodeClientStateJson(init.payload.client_state, z.object({ tenant: z.string() }))).toEqual({ tenant: 't1' });

    const hangup = parsed('call.hangup', { hangup_cause: 'user_busy', hangup_source: 'caller', sip_hangup_cause: '486' });
    expect(hangup).toMatchObject({ kind: 'call.hangup', payload: { hangup_cause: 'user_busy', hangup_source: 'caller', sip_hangup_cause: '486' } });
    expect(parsed('streaming.failed', { failure_reason: 'connection refused' })).toMatchObject({ kind: 'streaming.failed', payload: { failure_reason: 'connection refused' } });
    expect(parsed('call.answered').kind).toBe('call.answered');
  });

  it('tolerates unknown event types and defaults missing hangup fields', () => {
    expect(parsed('call.speak.ended')).toMatchObject({ kind: 'unknown', eventType: 'call.speak.ended' });
    const raw = telnyxEvent('call.hangup', call) as any;
    delete raw.data.payload.hangup_cause;
    const r = parseTelnyxWebhook(JSON.stringify(raw));
    expect(r.ok && r.event.kind === 'call.hangup' && r.event.payload.hangup_cause).toBe('unspecified');
  });

  it('rejects malformed JSON, a bad envelope and a bad payload with a reason', () => {
    expect(parseTelnyxWebhook('{"data":')).toMatchObject({ ok: false, reason: 'malformed_json' });
    expect(parseTelnyxWebhook('{"data":{"event_type":"call.initiated"}}')).toMatchObject({ ok: false, reason: 'bad_envelope' });
    const raw = telnyxEvent('call.initiated', call) as any;
    raw.data.payload.direction = 'sideways';
    expect(parseTelnyxWebhook(JSON.stringify(raw))).toMatchObject({ ok: false, reason: 'bad_payload' });
    expect(parseTelnyxWebhook(Buffer.from('null'))).toMatchObject({ ok: false, reason: 'bad_envelope' });
  });

  it('maps hangup_source to our HangupSource by direction', () => {
    expect(hangupSourceOf({ hangup_source: 'caller' }, 'incoming')).toBe('caller');
    expect(hangupSourceOf({ hangup_source: 'callee' }, 'incoming')).toBe('platform');
    expect(hangupSourceOf({ hangup_source: 'callee' }, 'outgoing')).toBe('caller');
    expect(hangupSourceOf({ hangup_source: 'unknown' }, 'outgoing')).toBe('carrier');
  });

  it('round-trips client_state and refuses garbage', () => {
    expect(decodeClientState(encodeClientState('hello ☎'))).toBe('hello ☎');
    expect(decodeClientState(null)).toBeUndefined();
    expect(decodeClientState('%%%')).toBeUndefined();
    expect(decodeClientStateJson(encodeClientState('not json'), z.object({}))).toBeUndefined();
  });
});

describe('Telnyx webhook dedup and ordering', () => {
  it('processes the same event id once', async () => {
    const gate = new TelnyxWebhookGate();
    const e = parsed('call.initiated', {}, 'evt-1');
    expect(await gate.admit(e)).toEqual({ apply: true });
    expect(await gate.admit(e)).toEqual({ apply: false, reason: 'duplicate' });
    expect(await gate.admit(parsed('call.initiated', {}, 'evt-1'))).toEqual({ apply: false, reason: 'duplicate' });
  });

  it('never moves a call backwards: hangup before answered, answered after hangup, initiated after answered', async () => {
    const gate = new TelnyxWebhookGate();
    expect(await gate.admit(parsed('call.initiated'))).toEqual({ apply: true });
    expect(await gate.admit(parsed('call.hangup'))).toEqual({ apply: true });
    expect(await gate.admit(parsed('call.answered'))).toEqual({ apply: false, reason: 'stale' });
    expect(await gate.admit(parsed('streaming.started'))).toEqual({ apply: false, reason: 'after_hangup' });
    expect(await gate.admit(parsed('streaming.stopped'))).toEqual({ apply: true });
    expect(await gate.admit(parsed('call.hangup'))).toEqual({ apply: false, reason: 'stale' });

    const other = new TelnyxWebhookGate();
    expect(await other.admit(parsed('call.answered'))).toEqual({ apply: true });
    expect(await other.admit(parsed('call.initiated'))).toEqual({ apply: false, reason: 'stale' });
    expect(await other.admit(parsed('call.speak.ended'))).toEqual({ apply: true });
  });

  it('keeps calls apart', () => {
    const tracker = new CallPhaseTracker();
    expect(tracker.offer('a', 'call.hangup').apply).toBe(true);
    expect(tracker.offer('b', 'call.answered').apply).toBe(true);
    expect(tracker.phase('a')).toBe('ended');
    expect(tracker.phase('b')).toBe('answered');
  });

  it('bounds memory by TTL and size', async () => {
    let t = 0;
    const seen = new InMemorySeenEvents({ ttlMs: 1000, maxEntries: 3, now: () => t });
    for (const id of ['a', 'b', 'c', 'd']) expect(await seen.firstTime(id)).toBe(true);
    expect(seen.size).toBe(3);
    expect(await seen.firstTime('a')).toBe(true); // evicted as the oldest
    expect(await seen.firstTime('d')).toBe(false);
    t = 1001;
    expect(await seen.firstTime('d')).toBe(true); // expired
    expect(seen.size).toBe(1);

    const tracker = new CallPhaseTracker({ ttlMs: 1000, maxEntries: 2, now: () => t });
    tracker.offer('x', 'call.hangup');
    tracker.offer('y', 'call.initiated');
    tracker.offer('z', 'call.initiated');
    expect(tracker.size).toBe(2);
    expect(tracker.phase('x')).toBeUndefined();
    t += 1001;
    expect(tracker.phase('y')).toBeUndefined();
  });
});
