import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  bodySha256Hex, computeTwilioSignature, twilioUrlVariants, validateTwilioBodySignature, validateTwilioSignature,
  validateTwilioUpgrade,
} from '../../../src/telephony/twilio/signature.js';
import { parseFormBody, verifyTwilioWebhook } from '../../../src/telephony/twilio/webhooks.js';

// The official helpers (twilio v5) are the independent judge.
const official = twilio as unknown as {
  getExpectedTwilioSignature(token: string, url: string, params: Record<string, unknown>): string;
  validateRequest(token: string, sig: string, url: string, params: Record<string, unknown>): boolean;
  validateRequestWithBody(token: string, sig: string, url: string, body: string): boolean;
};

const TOKEN = '12345';
const VECTOR_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const VECTOR_PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

describe('X-Twilio-Signature', () => {
  it('reproduces the documented test vector', () => {
    expect(computeTwilioSignature(TOKEN, VECTOR_URL, VECTOR_PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(official.getExpectedTwilioSignature(TOKEN, VECTOR_URL, VECTOR_PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(validateTwilioSignature(TOKEN, 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', VECTOR_URL, VECTOR_PARAMS)).toBe(true);
  });

  const cases: [string, string, Record<string, string | string[]>][] = [
    ['no params', 'https://example.com/telephony/twilio/voice', {}],
    ['voice webhook', 'https://sb.example.com/telephony/twilio/voice', {
      AccountSid: `AC${'0'.repeat(32)}`, CallSid: `CA${'f'.repeat(32)}`, From: '+15551230000', To: '+15557654321',
      CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01', CallerName: 'Zoë & "Bob" <x>',
    }],
    ['array params', 'https://example.com/hook?x=1', { StatusCallbackEvent: ['ringing', 'answered', 'ringing', 'completed'], A: 'b' }],
    ['explicit port', 'https://example.com:8443/hook', { Digits: '42' }],
    ['http with port', 'http://localhost:3000/telephony/twilio/status', { CallStatus: 'completed', CallDuration: '17' }],
    ['unicode and spaces', 'https://example.com/a%20b?q=%C3%A9t%C3%A9', { Body: 'héllo wörld ✓', Empty: '' }],
  ];

  it.each(cases)('agrees with the official library: %s', (_name, url, params) => {
    const ours = computeTwilioSignature('secret-token', url, params);
    expect(ours).toBe(official.getExpectedTwilioSignature('secret-token', url, params));
    expect(official.validateRequest('secret-token', ours, url, params)).toBe(true);
    expect(validateTwilioSignature('secret-token', ours, url, params)).toBe(true);
    expect(validateTwilioSignature('other-token', ours, url, params)).toBe(false);
    expect(validateTwilioSignature('secret-token', ours, url, { ...params, Extra: '1' })).toBe(false);
  });

  it('accepts the URL with and without the port, as the official library does', () => {
    const withPort = 'https://example.com:443/hook?a=1';
    const without = 'https://example.com/hook?a=1';
    const sigWith = official.getExpectedTwilioSignature('tok', withPort, { X: '1' });
    const sigWithout = official.getExpectedTwilioSignature('tok', without, { X: '1' });
    for (const [sig, url] of [[sigWith, without], [sigWithout, withPort], [sigWith, withPort], [sigWithout, without]] as const) {
      expect(official.validateRequest('tok', sig, url, { X: '1' })).toBe(true);
      expect(validateTwilioSignature('tok', sig, url, { X: '1' })).toBe(true);
    }
    // A non-default port: signed without the port, checked against the URL with it (and the reverse).
    const sig = official.getExpectedTwilioSignature('tok', 'https://example.com/hook', {});
    expect(official.validateRequest('tok', sig, 'https://example.com:8443/hook', {})).toBe(true);
    expect(validateTwilioSignature('tok', sig, 'https://example.com:8443/hook', {})).toBe(true);
    expect(twilioUrlVariants('http://localhost:3000/x')).toEqual(expect.arrayContaining(['http://localhost/x', 'http://localhost:3000/x']));
  });

  it('dedupes and sorts array values like the official library', () => {
    const a = computeTwilioSignature('t', 'https://e.com/', { E: ['b', 'a', 'b'] });
    expect(a).toBe(computeTwilioSignature('t', 'https://e.com/', { E: ['a', 'b'] }));
    expect(a).toBe(official.getExpectedTwilioSignature('t', 'https://e.com/', { E: ['b', 'a', 'b'] }));
  });

  it('rejects missing, empty, truncated and tampered signatures', () => {
    const sig = computeTwilioSignature(TOKEN, VECTOR_URL, VECTOR_PARAMS);
    expect(validateTwilioSignature(TOKEN, undefined, VECTOR_URL, VECTOR_PARAMS)).toBe(false);
    expect(validateTwilioSignature(TOKEN, '', VECTOR_URL, VECTOR_PARAMS)).toBe(false);
    expect(validateTwilioSignature(TOKEN, sig.slice(0, -2), VECTOR_URL, VECTOR_PARAMS)).toBe(false);
    expect(validateTwilioSignature(TOKEN, `x${sig.slice(1)}`, VECTOR_URL, VECTOR_PARAMS)).toBe(false);
    expect(validateTwilioSignature(TOKEN, sig, VECTOR_URL.replace('foo=1', 'foo=2'), VECTOR_PARAMS)).toBe(false);
    expect(validateTwilioSignature('', sig, VECTOR_URL, VECTOR_PARAMS)).toBe(false);
  });

  it('validates JSON bodies by bodySHA256 like validateRequestWithBody', () => {
    const body = JSON.stringify({ CallSid: 'CA123', events: [1, 2, 3], note: 'ünïcode' });
    const url = `https://example.com/hook?bodySHA256=${bodySha256Hex(body)}`;
    const sig = official.getExpectedTwilioSignature('tok', url, {});
    expect(computeTwilioSignature('tok', url)).toBe(sig);
    expect(official.validateRequestWithBody('tok', sig, url, body)).toBe(true);
    expect(validateTwilioBodySignature('tok', sig, url, body)).toBe(true);
    expect(validateTwilioBodySignature('tok', sig, url, Buffer.from(body))).toBe(true);
    expect(validateTwilioBodySignature('tok', sig, url, `${body} `)).toBe(false);
    expect(official.validateRequestWithBody('tok', sig, url, `${body} `)).toBe(false);
    expect(validateTwilioBodySignature('tok', sig, 'https://example.com/hook', body)).toBe(false);
    expect(verifyTwilioWebhook({ authToken: 'tok', url, signature: sig, rawBody: body, contentType: 'application/json' }).ok).toBe(true);
  });

  it('checks the media upgrade against the wss URL with no parameters', () => {
    const url = 'wss://sb.example.com/telephony/twilio/media';
    const sig = official.getExpectedTwilioSignature('tok', url, {});
    expect(validateTwilioUpgrade('tok', sig, url)).toBe(true);
    expect(validateTwilioUpgrade('tok', sig, 'wss://evil.example.com/telephony/twilio/media')).toBe(false);
  });

  it('verifies a raw form webhook end to end (repeated names become arrays)', () => {
    const url = 'https://sb.example.com/telephony/twilio/status';
    const raw = 'CallSid=CA1&StatusCallbackEvent=ringing&StatusCallbackEvent=answered&Caller=%2B1555+0000';
    const params = parseFormBody(raw);
    expect(params).toEqual({ CallSid: 'CA1', StatusCallbackEvent: ['ringing', 'answered'], Caller: '+1555 0000' });
    const sig = official.getExpectedTwilioSignature('tok', url, params);
    expect(verifyTwilioWebhook({ authToken: 'tok', url, signature: sig, rawBody: Buffer.from(raw) })).toEqual({ ok: true, params });
    expect(verifyTwilioWebhook({ authToken: 'tok', url, signature: undefined, rawBody: raw })).toEqual({ ok: false, reason: 'missing-signature' });
    expect(verifyTwilioWebhook({ authToken: 'tok', url, signature: sig, rawBody: `${raw}&X=1` })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('decides like validateRequest on 300 seeded random requests and URL spellings', () => {
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
    const word = () => Array.from({ length: 1 + rand(8) }, () => 'aZ09+ /&=?é%_-'[rand(14)]).join('');
    const hosts = ['https://a.example.com', 'https://a.example.com:443', 'https://a.example.com:8443', 'http://h:3000', 'http://h'];
    for (let i = 0; i < 300; i++) {
      const params: Record<string, string | string[]> = {};
      for (let k = rand(5); k > 0; k--) params[`P${word()}`] = rand(4) === 0 ? [word(), word()] : word();
      const path = `/p${rand(3)}${rand(2) ? `?q=${encodeURIComponent(word())}` : ''}`;
      const signedUrl = hosts[rand(hosts.length)]! + path;
      const checkedUrl = rand(2) ? signedUrl : hosts[rand(hosts.length)]! + path;
      const sig = official.getExpectedTwilioSignature('tok', signedUrl, params);
      expect(validateTwilioSignature('tok', sig, checkedUrl, params), `${signedUrl} vs ${checkedUrl}`)
        .toBe(official.validateRequest('tok', sig, checkedUrl, params));
    }
  });
});
