import type { ApiKeyAccess, ApiKeyRecord, ApiKeyRepository, NewApiKey } from '../../domain/ports/tenancy.js';
import { idAfter, pageArgs } from './page.js';
import type { ApiKeyRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secretHash,
    organizationId: row.organizationId,
    // Anything but the two known values (a row edited by hand) reads as the narrower one.
    access: row.access === 'read_write' ? 'read_write' : ('read_only' satisfies ApiKeyAccess),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

export function createApiKeyRepository(db: PrismaExecutor): ApiKeyRepository {
  return {
    async findByHash(secretHash) {
      const row = await db.apiKey.findUnique({ where: { secretHash } });
      return row ? toRecord(row) : undefined;
    },
    async find(id) {
      const row = await db.apiKey.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async list(filter, page) {
      const rows = await db.apiKey.findMany({
        where: {
          organizationId:
            filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
          id: idAfter(page),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async create(key: NewApiKey) {
      const row = await db.apiKey.create({
        data: {
          id: key.id,
          name: key.name,
          secretHash: key.secretHash,
          organizationId: key.organizationId,
          access: key.access,
          createdBy: key.createdBy,
          expiresAt: key.expiresAt,
        },
      });
      return toRecord(row);
    },
    async revoke(id, at) {
      // Idempotent: the first revocation's time stands.
      await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    },
    async touch(id, at) {
      await db.apiKey.updateMany({ where: { id }, data: { lastUsedAt: at } });
    },
  };
}
