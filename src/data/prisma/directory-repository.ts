import type { DirectoryRecord, DirectoryRepository, NewDirectory } from '../../domain/ports/directories.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import type { DirectoryRow, PrismaExecutor } from './prisma-client.js';

function toRecord(row: DirectoryRow): DirectoryRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    key: row.key,
    tokenHash: row.tokenHash,
    tokenHint: row.tokenHint,
    groupRoleMap: fromJsonColumn(row.groupRoleMap) as Record<string, string>,
    managedBy: row.managedBy,
    tokenRotatedAt: row.tokenRotatedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createDirectoryRepository(db: PrismaExecutor): DirectoryRepository {
  return {
    async findById(id) {
      const row = await db.directory.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async findByTokenHash(tokenHash) {
      const row = await db.directory.findUnique({ where: { tokenHash } });
      return row ? toRecord(row) : undefined;
    },
    async find(organizationId, key) {
      const row = await db.directory.findUnique({ where: { organizationId_key: { organizationId, key } } });
      return row ? toRecord(row) : undefined;
    },
    async listFor(organizationIds) {
      const rows = await db.directory.findMany({
        where: organizationIds ? { organizationId: { in: [...organizationIds] } } : {},
        orderBy: [{ organizationId: 'asc' }, { key: 'asc' }],
      });
      return rows.map(toRecord);
    },
    async create(directory: NewDirectory) {
      const row = await translateConstraints(
        db.directory.create({ data: { ...directory, groupRoleMap: toJsonColumn(directory.groupRoleMap) } }),
        [
          {
            kind: 'unique',
            constraint: 'directories_organization_id_key_key',
            error: conflict(
              `the organization already has a directory named ${directory.key}`,
              'directory_exists',
            ),
          },
        ],
      );
      return toRecord(row);
    },
    async update(id, changes) {
      const { groupRoleMap, ...rest } = changes;
      const row = await requireFound(
        db.directory.update({
          where: { id },
          data: { ...rest, ...(groupRoleMap ? { groupRoleMap: toJsonColumn(groupRoleMap) } : {}) },
        }),
        `directory ${id}`,
      );
      return toRecord(row);
    },
    async delete(id) {
      await requireFound(db.directory.delete({ where: { id } }), `directory ${id}`);
    },
  };
}
