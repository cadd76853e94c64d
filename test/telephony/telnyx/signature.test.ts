import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ED25519_SPKI_PREFIX,
  TelnyxWebhookVerifier,
  rawPublicKeyBase64,
  telnyxPublicKey,
  verifyTelnyxSignature,
} from '../../../src/telephony/telnyx/signature.js';
import { signTelnyxWebhook } from '../../../src/telephony/telnyx/simulator.js';

const NOW_MS = 1_760_000_000_000;
const NOW_SEC = NOW_MS / 1000;
const now = () => NOW_MS;

function keys() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  // The raw key as the Telnyx portal shows it: SPKI DER minus its 12-byte prefix.
  expect(der.subarray(0, 12).equals(ED25519_SPKI_PREFIX)).toBe(true);
  return { privateKey, publicKeyBase64: der.subarray(12).toString('base64') };
}

// Deliberately odd formatting and non-ASCII text: a re-serialized body would differ from these bytes.
const body = '{"data":{"event_type":"call.initiated","id":"e1",  "payload":{"from":"+15550001111","caller_id_name":"Zoë ☎"}},"meta":{"attempt":1}}';

function signed(privateKey: Parameters<typeof sign>[2], raw: string | Buffer, ts = NOW_SEC) {
  const sig = sign(null, Buffer.concat([Buffer.from(`${ts}|`), Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8')]), privateKey);
  return { 'telnyx-signature-ed25519': sig.toString('base64'), 'telnyx-timestamp': String(ts) };
}

describe('Telnyx webhook signature (Ed25519 over timestamp|rawBody)', () => {
  const k = keys();
  const verifier = new TelnyxWebhookVerifier(k.publicKeyBase64, { now });

  it('accepts a body signed with the account key (string and Buffer bodies)', () => {
    const headers = signed(k.privateKey, body);
    expect(verifier.verify(headers, body)).toEqual({ ok: true, timestamp: NOW_SEC });
    expect(verifier.verify(headers, Buffer.from(body, 'utf8'))).toMatchObject({ ok: true });
  });

  it('agrees with the simulator signer and reads header arrays and mixed case', () => {
    const headers = signTelnyxWebhook(k.privateKey, body, NOW_SEC);
    expect(verifier.verify(headers, body).ok).toBe(true);
    const mixed = { 'Telnyx-Signature-Ed25519': [headers['telnyx-signature-ed25519']!], 'Telnyx-Timestamp': headers['telnyx-timestamp'] };
    expect(verifier.verify(mixed, body).ok).toBe(true);
  });

  it('rejects another key', () => {
    const other = keys();
    expect(verifier.verify(signed(other.privateKey, body), body)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a tampered body', () => {
    const headers = signed(k.privateKey, body);
    expect(verifier.verify(headers, body.replace('+15550001111', '+15550009999'))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a parsed and re-serialized body', () => {
    const headers = signed(k.privateKey, body);
    const reserialized = JSON.stringify(JSON.parse(body));
    expect(reserialized).not.toBe(body);
    expect(verifier.verify(headers, reserialized)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects a signature made for another timestamp (replay with a fresh header)', () => {
    const headers = { ...signed(k.privateKey, body, NOW_SEC - 10), 'telnyx-timestamp': String(NOW_SEC) };
    expect(verifier.verify(headers, body)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects timestamps more than 300 s off, accepts at the edge', () => {
    expect(verifier.verify(signed(k.privateKey, body, NOW_SEC - 301), body)).toEqual({ ok: false, reason: 'timestamp_too_old' });
    expect(verifier.verify(signed(k.privateKey, body, NOW_SEC + 301), body)).toEqual({ ok: false, reason: 'timestamp_in_future' });
    expect(verifier.verify(signed(k.privateKey, body, NOW_SEC - 300), body).ok).toBe(true);
    expect(verifier.verify(signed(k.privateKey, body, NOW_SEC + 300), body).ok).toBe(true);
  });

  it('rejects missing or malformed headers with a reason', () => {
    const headers = signed(k.privateKey, body);
    expect(verifier.verify({}, body)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifier.verify({ 'telnyx-signature-ed25519': headers['telnyx-signature-ed25519'] }, body)).toEqual({ ok: false, reason: 'missing_timestamp' });
    expect(verifier.verify({ 'telnyx-timestamp': headers['telnyx-timestamp'] }, body)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verifier.verify({ ...headers, 'telnyx-timestamp': '17e8' }, body)).toEqual({ ok: false, reason: 'bad_timestamp' });
    expect(verifier.verify({ ...headers, 'telnyx-signature-ed25519': 'not base64!' }, body)).toEqual({ ok: false, reason: 'bad_signature_encoding' });
    expect(verifier.verify({ ...headers, 'telnyx-signature-ed25519': Buffer.alloc(32).toString('base64') }, body)).toEqual({ ok: false, reason: 'bad_signature_encoding' });
  });

  it('parses the portal key (raw 32 bytes, or SPKI) and refuses other lengths', () => {
    const key = telnyxPublicKey(k.publicKeyBase64);
    expect(rawPublicKeyBase64(key)).toBe(k.publicKeyBase64);
    const spki = Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(k.publicKeyBase64, 'base64')]).toString('base64');
    expect(verifyTelnyxSignature(telnyxPublicKey(spki), signed(k.privateKey, body), body, { now }).ok).toBe(true);
    expect(() => telnyxPublicKey(Buffer.alloc(31).toString('base64'))).toThrow(/32 raw bytes/);
  });

  it('uses the real clock by default', () => {
    const ts = Math.floor(Date.now() / 1000);
    expect(verifyTelnyxSignature(telnyxPublicKey(k.publicKeyBase64), signed(k.privateKey, body, ts), body).ok).toBe(true);
  });
});
