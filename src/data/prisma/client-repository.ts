import type { ClientRecord, ClientRepository, NewClient } from '../../domain/ports/repositories.js';
import { conflict, translateConstraints } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { pageArgs } from './page.js';
import type { ClientRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: ClientRow): ClientRecord {
  return {
    id: row.id,
    name: row.name,
    secretCiphertext: row.secretCiphertext,
    metadata: fromJsonColumn(row.metadata),
    organizationId: row.organizationId,
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
        where: {
          managedBy: filter.managedBy,
          organizationId:
            filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
        },
        orderBy: { id: 'asc' },
      });
      return rows.map(toRecord);
    },
    async page(filter, page) {
      const ids = filter.organizationIds;
      const rows = await db.client.findMany({
        where: {
          ...(ids === undefined ? {} : { organizationId: { in: [...ids] } }),
          ...(page.after === undefined ? {} : { id: { gt: page.after } }),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async create(client: NewClient) {
      const row = await translateConstraints(
        db.client.create({
          data: {
            id: client.id,
            name: client.name,
            secretCiphertext: client.secretCiphertext,
            metadata: toJsonColumn(client.metadata),
            organizationId: client.organizationId,
            managedBy: client.managedBy,
          },
        }),
        [{ kind: 'unique', error: conflict(`client ${client.id} exists`, 'client_exists') }],
      );
      return toRecord(row);
    },
    async upsert(client: NewClient) {
      const fields = {
        name: client.name,
        secretCiphertext: client.secretCiphertext,
        metadata: toJsonColumn(client.metadata),
        organizationId: client.organizationId,
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
