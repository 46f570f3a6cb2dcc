import type { ClientRecord, ClientRepository, NewClient } from '../../domain/ports/repositories.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { ClientRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: ClientRow): ClientRecord {
  return {
    id: row.id,
    name: row.name,
    secretCiphertext: row.secretCiphertext,
    metadata: fromJsonColumn(row.metadata),
    managedBy: row.managedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createClientRepository(db: PrismaExecutor): ClientRepository {
  return {
    async find(id) {
      const row = await db.client.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async list(filter = {}) {
      const rows = await db.client.findMany({
        where: filter.managedBy === undefined ? {} : { managedBy: filter.managedBy },
        orderBy: { id: 'asc' },
      });
      return rows.map(toRecord);
    },
    async upsert(client: NewClient) {
      const fields = {
        name: client.name,
        secretCiphertext: client.secretCiphertext,
        metadata: toJsonColumn(client.metadata),
        managedBy: client.managedBy,
      };
      const row = await db.client.upsert({
        where: { id: client.id },
        create: { id: client.id, ...fields },
        update: fields,
      });
      return toRecord(row);
    },
    async delete(id) {
      await db.client.deleteMany({ where: { id } });
    },
  };
}
