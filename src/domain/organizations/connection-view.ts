import type { ConnectionRecord, ConnectionType } from '../ports/connections.js';

/** A stored connection as admins (and the audit log) see it: never the secret, only whether one is set. */
export interface ConnectionView {
  id: string;
  organizationId: string;
  key: string;
  type: ConnectionType;
  preset: string | null;
  enabled: boolean;
  settings: Record<string, unknown>;
  attributeMap: Record<string, string>;
  hasClientSecret: boolean;
  managedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function connectionView(record: ConnectionRecord): ConnectionView {
  const { secretCiphertext, ...rest } = record;
  return { ...rest, hasClientSecret: secretCiphertext !== null };
}
