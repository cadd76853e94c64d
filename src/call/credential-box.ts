import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class UnreadableCredentialsError extends Error {
  constructor() { super('stored credentials cannot be read with this server\'s key (was SWITCHBOARD_SECRET changed?)'); this.name = 'UnreadableCredentialsError'; }
}

/**
 * Seals carrier credentials at rest: AES-256-GCM under a key derived (HKDF-SHA256) from the platform signing secret,
 * with the owner (tenant and carrier) as associated data so a sealed value cannot be moved to another row.
 * Format: `v1.<base64url(iv ‖ tag ‖ ciphertext)>`.
 */
export class CredentialBox {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'switchboard', 'carrier-credentials v1', 32));
  }

  seal(value: unknown, owner: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(owner));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The sealed value; throws UnreadableCredentialsError when the key, owner or bytes do not match. */
  open(sealed: string, owner: string): unknown {
    const [version, data] = sealed.split('.');
    if (version !== VERSION || !data) throw new UnreadableCredentialsError();
    const raw = Buffer.from(data, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12)).setAAD(Buffer.from(owner));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
    } catch {
      throw new UnreadableCredentialsError();
    }
  }
}
