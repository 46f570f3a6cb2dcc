import type {
  CertificateWarningsSent,
  ConnectionHealthChanges,
  ConnectionHealthRecord,
  ConnectionHealthRepository,
  ReceivedAttributes,
} from '../../domain/ports/connection-health.js';
import type { ConnectionHealth as ConnectionHealthRow } from '../generated/prisma/client.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { Prisma, type PrismaExecutor } from './prisma-client.js';

function toRecord(row: ConnectionHealthRow): ConnectionHealthRecord {
  return {
    connectionId: row.connectionId,
    lastSuccessAt: row.lastSuccessAt,
    lastFailureAt: row.lastFailureAt,
    lastFailureReason: row.lastFailureReason,
    lastAttributes:
      row.lastAttributes === null
        ? null
        : (fromJsonColumn(row.lastAttributes) as unknown as ReceivedAttributes),
    lastAttributesAt: row.lastAttributesAt,
    lastTestedAt: row.lastTestedAt,
    metadataRefreshedAt: row.metadataRefreshedAt,
    metadataRefreshError: row.metadataRefreshError,
    certificateWarnings: fromJsonColumn(row.certificateWarnings) as CertificateWarningsSent,
    updatedAt: row.updatedAt,
  };
}

function toData(changes: ConnectionHealthChanges) {
  const { lastAttributes, certificateWarnings, ...plain } = changes;
  return {
    ...plain,
    ...(lastAttributes === undefined
      ? {}
      : {
          lastAttributes:
            lastAttributes === null
              ? Prisma.DbNull
              : toJsonColumn(lastAttributes as unknown as Record<string, unknown>),
        }),
    ...(certificateWarnings === undefined ? {} : { certificateWarnings: toJsonColumn(certificateWarnings) }),
  };
}

export function createConnectionHealthRepository(db: PrismaExecutor): ConnectionHealthRepository {
  return {
    async find(connectionId) {
      const row = await db.connectionHealth.findUnique({ where: { connectionId } });
      return row ? toRecord(row) : undefined;
    },
    async findMany(connectionIds) {
      if (connectionIds.length === 0) return [];
      const rows = await db.connectionHealth.findMany({
        where: { connectionId: { in: [...connectionIds] } },
      });
      return rows.map(toRecord);
    },
    async upsert(connectionId, changes) {
      const data = toData(changes);
      await db.connectionHealth.upsert({
        where: { connectionId },
        create: { connectionId, ...data },
        update: data,
      });
    },
  };
}
