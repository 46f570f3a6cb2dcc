import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createEnvelope } from '../../src/lib/crypto/envelope.js';

describe('AES-256-GCM envelope', () => {
  const envelope = createEnvelope(randomBytes(32));

  it('round-trips and never shows the plaintext', () => {
    const sealed = envelope.seal('top secret', 'client-secret:a');
    expect(sealed).not.toContain('top secret');
    expect(envelope.open(sealed, 'client-secret:a')).toBe('top secret');
    expect(envelope.seal('top secret', 'client-secret:a')).not.toBe(sealed);
  });

  it('refuses a ciphertext moved to another row, a tampered one, or a wrong key', () => {
    const sealed = envelope.seal('top secret', 'client-secret:a');
    expect(() => envelope.open(sealed, 'client-secret:b')).toThrow();
    const parts = sealed.split('.');
    parts[2] = Buffer.from('tampered').toString('base64url');
    expect(() => envelope.open(parts.join('.'), 'client-secret:a')).toThrow();
    expect(() => createEnvelope(randomBytes(32)).open(sealed, 'client-secret:a')).toThrow();
    expect(() => createEnvelope(randomBytes(16))).toThrow(/32 bytes/);
  });
});
