import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compact signed tokens (`<base64url payload>.<base64url HMAC-SHA256>`) for socket joins and stream parameters.
 * Stateless, so any instance sharing the signing key can check them before a WebSocket upgrade.
 */
export interface TokenClaims {
  /** What the token is for, e.g. `session` or `twilio-stream`. */
  aud: string;
  /** Subject id, e.g. the session id. */
  sub: string;
  tenantId: string;
  /** Expiry, ms since epoch. */
  exp: number;
}

export class TokenSigner {
  constructor(private readonly key: string) {}

  sign(claims: TokenClaims): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims when the token is authentic, unexpired and meant for `aud`; else the reason it is refused. */
  verify(token: string, aud: string, now = Date.now()): { ok: true; claims: TokenClaims } | { ok: false; reason: string } {
    const dot = token.indexOf('.');
    if (dot <= 0 || token.length > 2048) return { ok: false, reason: 'malformed' };
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
    let claims: TokenClaims;
    try { claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims; } catch { return { ok: false, reason: 'malformed' }; }
    if (claims.aud !== aud) return { ok: false, reason: 'wrong-audience' };
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
