import { createHash, randomBytes } from 'node:crypto';

/** API keys look like `sb_live_<32 random bytes base64url>`; only the SHA-256 is stored (they are high-entropy). */
export const API_KEY_PREFIX = 'sb_live_';

export function generateApiKey(): { secret: string; prefix: string; hash: string } {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX.length + 6), hash: hashToken(secret) };
}

/** SHA-256 hex of a high-entropy token (API key or login cookie). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
