import { describe, expect, it } from 'vitest';
import { CredentialBox, UnreadableCredentialsError } from './credential-box.js';

describe('credential box', () => {
  it('seals with AES-256-GCM: no plaintext at rest, opens only with the same key and owner', () => {
    const box = new CredentialBox('the-platform-signing-secret');
    const sealed = box.seal({ authToken: 'super-secret-token' }, 'tenant-a:twilio');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('super-secret');
    expect(box.open(sealed, 'tenant-a:twilio')).toEqual({ authToken: 'super-secret-token' });
    expect(box.seal({ a: 1 }, 'x')).not.toBe(box.seal({ a: 1 }, 'x')); // fresh IV each time
    expect(() => box.open(sealed, 'tenant-b:twilio')).toThrow(UnreadableCredentialsError);
    expect(() => new CredentialBox('another-secret').open(sealed, 'tenant-a:twilio')).toThrow(UnreadableCredentialsError);
    const tampered = `${sealed.slice(0, -3)}${sealed.endsWith('A') ? 'B' : 'A'}${sealed.slice(-2)}`;
    expect(() => box.open(tampered, 'tenant-a:twilio')).toThrow(UnreadableCredentialsError);
  });
});
