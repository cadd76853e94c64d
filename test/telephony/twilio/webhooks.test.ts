import { describe, expect, it } from 'vitest';
import {
  durationMsOf, isFinalStatus, parseFormBody, parseStatusCallback, parseVoiceWebhook, statusEventOf,
} from '../../../src/telephony/twilio/webhooks.js';

const CALL = `CA${'0123456789abcdef'.repeat(2)}`;
const ACCOUNT = `AC${'fedcba9876543210'.repeat(2)}`;

describe('Twilio webhooks', () => {
  it('parses an incoming-call webhook and keeps unknown parameters', () => {
    const r = parseVoiceWebhook(parseFormBody(
      `CallSid=${CALL}&AccountSid=${ACCOUNT}&From=%2B15551230000&To=%2B15557654321&CallStatus=ringing`
      + '&ApiVersion=2010-04-01&Direction=inbound&CallerName=Ann&FromCity=PARIS&StirVerstat=TN-Validation-Passed-A',
    ));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ CallSid: CALL, From: '+15551230000', To: '+15557654321', Direction: 'inbound', CallerName: 'Ann' });
    expect(r.value.StirVerstat).toBe('TN-Validation-Passed-A');
  });

  it('accepts client: and sip: addresses', () => {
    const r = parseVoiceWebhook({ CallSid: CALL, AccountSid: ACCOUNT, From: 'client:alice', To: 'sip:sales@example.com', CallStatus: 'ringing', Direction: 'inbound' });
    expect(r.ok).toBe(true);
  });

  it('refuses bad sids, unknown statuses and missing fields', () => {
    const base = { CallSid: CALL, AccountSid: ACCOUNT, From: '+1', To: '+2', CallStatus: 'ringing', Direction: 'inbound' };
    expect(parseVoiceWebhook({ ...base, CallSid: 'CA123' }).ok).toBe(false);
    expect(parseVoiceWebhook({ ...base, AccountSid: 'XX' + ACCOUNT.slice(2) }).ok).toBe(false);
    expect(parseVoiceWebhook({ ...base, CallStatus: 'exploded' }).ok).toBe(false);
    expect(parseVoiceWebhook({ ...base, To: undefined }).ok).toBe(false);
    expect(parseVoiceWebhook({ ...base, From: ['+1', '+3'] }).ok).toBe(false);
    const bad = parseVoiceWebhook({ ...base, Direction: 'sideways' });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid-voice-webhook' });
  });

  it('parses status callbacks with duration and events', () => {
    const done = parseStatusCallback(parseFormBody(
      `CallSid=${CALL}&AccountSid=${ACCOUNT}&CallStatus=completed&CallDuration=42&StatusCallbackEvent=completed&SequenceNumber=3`,
    ));
    expect(done.ok).toBe(true);
    if (!done.ok) return;
    expect(done.value.CallDuration).toBe(42);
    expect(durationMsOf(done.value)).toBe(42_000);
    expect(statusEventOf(done.value)).toBe('completed');
    expect(isFinalStatus(done.value.CallStatus)).toBe(true);

    const ringing = parseStatusCallback({ CallSid: CALL, AccountSid: ACCOUNT, CallStatus: 'ringing' });
    expect(ringing.ok && statusEventOf(ringing.value)).toBe('ringing');
    const answered = parseStatusCallback({ CallSid: CALL, AccountSid: ACCOUNT, CallStatus: 'in-progress' });
    expect(answered.ok && statusEventOf(answered.value)).toBe('answered');
    expect(answered.ok && durationMsOf(answered.value)).toBe(null);
    for (const s of ['busy', 'no-answer', 'canceled', 'failed'] as const) expect(isFinalStatus(s)).toBe(true);
    expect(isFinalStatus('ringing')).toBe(false);

    expect(parseStatusCallback({ CallSid: CALL, AccountSid: ACCOUNT, CallStatus: 'completed', CallDuration: '-1' }).ok).toBe(false);
    expect(parseStatusCallback({ CallSid: CALL, AccountSid: ACCOUNT, CallStatus: 'completed', StatusCallbackEvent: 'exploded' }).ok).toBe(false);
  });

  it('parses form bodies from strings and bytes, keeping repeats in order', () => {
    expect(parseFormBody('a=1&b=2&a=3&a=4')).toEqual({ a: ['1', '3', '4'], b: '2' });
    expect(parseFormBody(new TextEncoder().encode('x=%C3%A9+y'))).toEqual({ x: 'é y' });
    expect(parseFormBody('')).toEqual({});
    expect(Object.getPrototypeOf(parseFormBody('__proto__=x'))).toBe(null);
  });
});
