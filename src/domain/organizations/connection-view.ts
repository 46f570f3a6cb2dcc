import { X509Certificate } from 'node:crypto';
import type { ConnectionRecord } from '../ports/connections.js';

/**
 * A stored connection as admins (and the audit log) see it: never the secret nor the sealed SP
 * key, only whether a secret is set and when the SP certificate (SAML) expires.
 */
export type ConnectionView = Omit<ConnectionRecord, 'secretCiphertext' | 'spKeyCiphertext'> & {
  hasClientSecret: boolean;
  /** When the connection's SP certificate stops being valid; null without one. */
  spCertificateExpiresAt: Date | null;
};

export function connectionView(record: ConnectionRecord): ConnectionView {
  const { secretCiphertext, spKeyCiphertext: _sealedKey, ...rest } = record;
  return {
    ...rest,
    hasClientSecret: secretCiphertext !== null,
    spCertificateExpiresAt: certificateExpiry(record.spCertificate),
  };
}

function certificateExpiry(pem: string | null): Date | null {
  if (pem === null) return null;
  try {
    return new Date(new X509Certificate(pem).validTo);
  } catch {
    return null;
  }
}
