import type { ConnectionRecord } from '../ports/connections.js';

/** A stored connection as admins (and the audit log) see it: never the secret, only whether one is set. */
export type ConnectionView = Omit<ConnectionRecord, 'secretCiphertext'> & { hasClientSecret: boolean };

export function connectionView(record: ConnectionRecord): ConnectionView {
  const { secretCiphertext, ...rest } = record;
  return { ...rest, hasClientSecret: secretCiphertext !== null };
}
