import type { ConnectionRecord } from '../../domain/ports/connections.js';
import { toRecord } from '../prisma/connection-repository.js';
import type { ConnectionRow } from '../prisma/prisma-client.js';
import { firstRow, type Query } from './query.js';

export interface RawConnectionRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  key: string;
  type: string;
  preset: string | null;
  enabled: boolean;
  settings: ConnectionRow['settings'];
  attribute_map: ConnectionRow['attributeMap'];
  secret_ciphertext: string | null;
  managed_by: string | null;
  created_at: Date;
  updated_at: Date;
  upstream_metadata: ConnectionRow['upstreamMetadata'];
  sp_certificate: string | null;
  sp_key_ciphertext: string | null;
}

/** A connection as a plain SQL read returns it (column names as stored). */
export function fromRawConnection(row: RawConnectionRow): ConnectionRecord {
  return toRecord({
    id: row.id,
    organizationId: row.organization_id,
    key: row.key,
    type: row.type,
    preset: row.preset,
    enabled: row.enabled,
    settings: row.settings,
    attributeMap: row.attribute_map,
    secretCiphertext: row.secret_ciphertext,
    managedBy: row.managed_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    upstreamMetadata: row.upstream_metadata,
    spCertificate: row.sp_certificate,
    spKeyCiphertext: row.sp_key_ciphertext,
  });
}

/**
 * A connection by id, read by every step of an enterprise sign-in (its start, the IdP's answer,
 * the provisioning context), as a prepared statement outside Prisma: same reason as user-by-id.ts.
 */
export function connectionByIdQuery(query: Query) {
  return (id: string): Promise<ConnectionRecord | undefined> =>
    firstRow(
      query,
      'gh_connection_by_id',
      `SELECT * FROM "connections" WHERE "id" = $1`,
      [id],
      fromRawConnection,
    );
}
