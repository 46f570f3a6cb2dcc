import type { IdentityRecord, IdentityRepository } from '../../domain/ports/federation.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { IdentityRow, PrismaExecutor } from './prisma-client.js';

export function toRecord(row: IdentityRow): IdentityRecord {
  return {
    id: row.id,
    userId: row.userId,
    connectionId: row.connectionId,
    subject: row.subject,
    attributes: fromJsonColumn(row.attributes),
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

export function createIdentityRepository(db: PrismaExecutor): IdentityRepository {
  return {
    async find(connectionId, subject) {
      const row = await db.identity.findUnique({
        where: { connectionId_subject: { connectionId, subject } },
      });
      return row ? toRecord(row) : undefined;
    },
    async listForUser(userId) {
      // Rows created in one transaction share created_at: the id keeps the order stable.
      const rows = await db.identity.findMany({
        where: { userId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toRecord);
    },
    async create(identity) {
      const row = await translateConstraints(
        db.identity.create({ data: { ...identity, attributes: toJsonColumn(identity.attributes) } }),
        [
          {
            kind: 'unique',
            constraint: 'identities_connection_id_subject_key',
            error: conflict('the connection already links this subject', 'identity_exists'),
          },
        ],
      );
      return toRecord(row);
    },
    async delete(id) {
      await db.identity.deleteMany({ where: { id } });
    },
    async touch(id, attributes, at) {
      const update = db.identity.update({
        where: { id },
        data: { attributes: toJsonColumn(attributes), lastLoginAt: at },
      });
      return toRecord(await requireFound(update, `identity ${id}`));
    },
  };
}
