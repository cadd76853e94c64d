import { describe, expect, it } from 'vitest';
import { TokenSigner } from './tokens.js';

describe('TokenSigner', () => {
  const signer = new TokenSigner('k'.repeat(32));
  const claims = { aud: 'session', sub: 's1', tenantId: 't1', exp: Date.now() + 60_000 };

  it('accepts its own unexpired token for the right audience', () => {
    expect(signer.verify(signer.sign(claims), 'session')).toEqual({ ok: true, claims });
  });

  it('refuses tampered, expired, foreign-key and wrong-audience tokens with a reason', () => {
    const token = signer.sign(claims);
    const tampered = Buffer.from(JSON.stringify({ ...claims, sub: 's2' })).toString('base64url') + token.slice(token.indexOf('.'));
    expect(signer.verify(tampered, 'session')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(signer.verify(signer.sign({ ...claims, exp: Date.now() - 1 }), 'session')).toEqual({ ok: false, reason: 'expired' });
    expect(new TokenSigner('x'.repeat(32)).verify(token, 'session')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(signer.verify(token, 'twilio-stream')).toEqual({ ok: false, reason: 'wrong-audience' });
    expect(signer.verify('nodot', 'session')).toEqual({ ok: false, reason: 'malformed' });
  });
});
