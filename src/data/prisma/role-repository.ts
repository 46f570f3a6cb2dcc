import type { NewRole, RoleRecord, RoleRepository } from '../../domain/ports/tenancy.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import type { PrismaExecutor, RoleRow } from './prisma-client.js';

function toRecord(row: RoleRow): RoleRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    description: row.description,
    permissions: row.permissions,
    admin: row.admin,
    overridable: row.overridable,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createRoleRepository(db: PrismaExecutor): RoleRepository {
  return {
    async listFor(organizationIds) {
      if (organizationIds.length === 0) return [];
      const rows = await db.role.findMany({
        where: { organizationId: { in: [...organizationIds] } },
        orderBy: [{ organizationId: 'asc' }, { name: 'asc' }],
      });
      return rows.map(toRecord);
    },
    async find(organizationId, name) {
      const row = await db.role.findUnique({ where: { organizationId_name: { organizationId, name } } });
      return row ? toRecord(row) : undefined;
    },
    async create(role: NewRole) {
      const row = await translateConstraints(
        db.role.create({ data: { ...role, permissions: [...role.permissions] } }),
        [
          {
            kind: 'unique',
            constraint: 'roles_organization_id_name_key',
            error: conflict(`role "${role.name}" already exists in this organization`, 'role_exists'),
          },
        ],
      );
      return toRecord(row);
    },
    async update(id, changes) {
      const data = {
        description: changes.description,
        permissions: changes.permissions === undefined ? undefined : [...changes.permissions],
        admin: changes.admin,
        overridable: changes.overridable,
      };
      return toRecord(await requireFound(db.role.update({ where: { id }, data }), `role ${id}`));
    },
    async delete(id) {
      await db.role.deleteMany({ where: { id } });
    },
  };
}
