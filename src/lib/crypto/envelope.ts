import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM envelope for secrets at rest (signing keys, client secrets, upstream secrets).
 * The associated data binds a ciphertext to the row it belongs to, so a ciphertext copied into
 * another row fails to decrypt instead of silently becoming that row's secret.
 * Format: v1.<iv>.<ciphertext>.<tag>, each base64url.
 */
const VERSION = 'v1';

export interface Envelope {
  seal(plaintext: string, context: string): string;
  open(sealed: string, context: string): string;
}

export function createEnvelope(keyEncryptionKey: Buffer): Envelope {
  if (keyEncryptionKey.length !== 32) throw new Error('the key-encryption key must be 32 bytes');
  return {
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keyEncryptionKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, ciphertext, cipher.getAuthTag()]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, ciphertext, tag] = sealed.split('.');
      if (version !== VERSION || !iv || ciphertext === undefined || !tag) {
        throw new Error('not a sealed secret');
      }
      const decipher = createDecipheriv('aes-256-gcm', keyEncryptionKey, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
      return plain.toString('utf8');
    },
  };
}
