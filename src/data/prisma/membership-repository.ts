import type {
  MembershipRecord,
  MembershipRepository,
  MembershipStatus,
  NewMembership,
} from '../../domain/ports/tenancy.js';
import { conflict, requireFound, translateConstraints } from './constraint-errors.js';
import { idAfter, pageArgs } from './page.js';
import type { MembershipRow, PrismaExecutor } from './prisma-client.js';

const STATUSES: readonly MembershipStatus[] = ['active', 'pending', 'suspended'];

function toStatus(value: string): MembershipStatus {
  if (!(STATUSES as readonly string[]).includes(value)) {
    throw new Error(`membership has unknown status "${value}"`);
  }
  return value as MembershipStatus;
}

export function toRecord(row: MembershipRow): MembershipRecord {
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    status: toStatus(row.status),
    roles: row.roles,
    ruleRoles: row.ruleRoles,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createMembershipRepository(db: PrismaExecutor): MembershipRepository {
  return {
    async find(userId, organizationId) {
      const row = await db.membership.findUnique({
        where: { userId_organizationId: { userId, organizationId } },
      });
      return row ? toRecord(row) : undefined;
    },
    async findById(id) {
      const row = await db.membership.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async list(filter, page) {
      const rows = await db.membership.findMany({
        where: {
          organizationId:
            filter.organizationIds === undefined ? undefined : { in: [...filter.organizationIds] },
          userId: filter.userId,
          status: filter.status,
          roles: filter.role === undefined ? undefined : { has: filter.role },
          id: idAfter(page),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async organizationIdsOf(userId) {
      const rows = await db.membership.findMany({
        where: { userId },
        select: { organizationId: true },
        orderBy: { id: 'asc' },
      });
      return rows.map((row) => row.organizationId);
    },
    async create(membership: NewMembership) {
      const row = await translateConstraints(
        db.membership.create({ data: { ...membership, roles: [...membership.roles] } }),
        [
          {
            kind: 'unique',
            constraint: 'memberships_user_id_organization_id_key',
            error: conflict('the user is already a member of this organization', 'membership_exists'),
          },
        ],
      );
      return toRecord(row);
    },
    async createMany(memberships) {
      const rows = await translateConstraints(
        db.membership.createManyAndReturn({
          data: memberships.map((membership) => ({ ...membership, roles: [...membership.roles] })),
        }),
        [
          {
            kind: 'unique',
            constraint: 'memberships_user_id_organization_id_key',
            error: conflict(
              'one of these users is already a member of this organization',
              'membership_exists',
            ),
          },
        ],
      );
      return rows.map(toRecord);
    },
    async findForUsers(organizationId, userIds) {
      const rows = await db.membership.findMany({ where: { organizationId, userId: { in: [...userIds] } } });
      return rows.map(toRecord);
    },
    async update(id, changes) {
      const copy = (names: readonly string[] | undefined) => (names === undefined ? undefined : [...names]);
      const data = { status: changes.status, roles: copy(changes.roles), ruleRoles: copy(changes.ruleRoles) };
      return toRecord(await requireFound(db.membership.update({ where: { id }, data }), `membership ${id}`));
    },
    async delete(id) {
      await db.membership.deleteMany({ where: { id } });
    },
    async removeRole(organizationIds, roleName) {
      if (organizationIds.length === 0) return;
      // One statement, so a membership updated concurrently keeps its other changes. updated_at
      // is written in UTC like Prisma's @updatedAt (the column has no time zone).
      await db.$executeRaw`
        UPDATE "memberships"
           SET "roles" = array_remove("roles", ${roleName}::text),
               "updated_at" = (CURRENT_TIMESTAMP AT TIME ZONE 'UTC')
         WHERE "organization_id" = ANY(${[...organizationIds]}::text[])
           AND ${roleName}::text = ANY("roles")`;
    },
  };
}
