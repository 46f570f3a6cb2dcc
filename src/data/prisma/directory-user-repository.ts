import type {
  DirectoryUserFields,
  DirectoryUserRecord,
  DirectoryUserRepository,
} from '../../domain/ports/directories.js';
import { conflict, translateConstraints, type ConstraintRule } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { Prisma, type DirectoryUserRow, type PrismaExecutor } from './prisma-client.js';
import { pageOfRecords } from './scim-page.js';
import { userFilterSql, userOrderBy } from './scim-filter-sql.js';

function toRecord(row: DirectoryUserRow): DirectoryUserRecord {
  return { ...row, resource: fromJsonColumn(row.resource) };
}

// RFC 7644 §3.3: a taken userName (or externalId, which we keep unique per directory too) is 409 uniqueness.
const UNIQUE: ConstraintRule[] = [
  {
    kind: 'unique',
    constraint: 'directory_users_directory_id_user_name_key_key',
    error: conflict('a user with this userName exists in the directory', 'scim_uniqueness'),
  },
  {
    kind: 'unique',
    constraint: 'directory_users_directory_id_external_id_key',
    error: conflict('a user with this externalId exists in the directory', 'scim_uniqueness'),
  },
  {
    kind: 'unique',
    constraint: 'directory_users_directory_id_user_id_key',
    error: conflict('this person is already a user of the directory', 'scim_uniqueness'),
  },
];

const columns = <T extends DirectoryUserFields>(fields: T) => ({
  ...fields,
  resource: toJsonColumn(fields.resource),
});

export function createDirectoryUserRepository(db: PrismaExecutor): DirectoryUserRepository {
  return {
    async find(directoryId, id) {
      const row = await db.directoryUser.findFirst({ where: { directoryId, id } });
      return row ? toRecord(row) : undefined;
    },
    async findByUserId(directoryId, userId) {
      const row = await db.directoryUser.findUnique({
        where: { directoryId_userId: { directoryId, userId } },
      });
      return row ? toRecord(row) : undefined;
    },
    async create(record) {
      const row = await translateConstraints(db.directoryUser.create({ data: columns(record) }), UNIQUE);
      return toRecord(row);
    },
    async createMany(records) {
      const rows = await translateConstraints(
        db.directoryUser.createManyAndReturn({ data: records.map(columns) }),
        UNIQUE,
      );
      return rows.map(toRecord);
    },
    async findClashes(directoryId, keys) {
      const rows = await db.directoryUser.findMany({
        where: {
          directoryId,
          OR: [
            { userNameKey: { in: [...keys.userNameKeys] } },
            { externalId: { in: [...keys.externalIds] } },
            { userId: { in: [...keys.userIds] } },
          ],
        },
      });
      return rows.map(toRecord);
    },
    async update(directoryId, id, fields, expectedVersion) {
      const { count } = await translateConstraints(
        db.directoryUser.updateMany({
          where: { directoryId, id, ...(expectedVersion === undefined ? {} : { version: expectedVersion }) },
          data: { ...columns(fields), version: { increment: 1 } },
        }),
        UNIQUE,
      );
      return count === 0 ? undefined : this.find(directoryId, id);
    },
    async setDirectoryRoles(id, roles) {
      await db.directoryUser.update({ where: { id }, data: { directoryRoles: [...roles] } });
    },
    async delete(directoryId, id) {
      const { count } = await db.directoryUser.deleteMany({ where: { directoryId, id } });
      return count > 0;
    },
    async query(directoryId, query, hints) {
      const where = Prisma.sql`u.directory_id = ${directoryId}${
        query.filter ? Prisma.sql` AND (${userFilterSql(query.filter)})` : Prisma.empty
      }`;
      return pageOfRecords(
        db,
        {
          from: Prisma.sql`directory_users u`,
          where,
          orderBy: userOrderBy(query.sortBy, query.sortOrder),
          alias: Prisma.raw('u'),
          startIndex: query.startIndex,
          count: query.count,
        },
        hints,
        async (ids) => (await db.directoryUser.findMany({ where: { id: { in: ids } } })).map(toRecord),
      );
    },
    async groupsOf(directoryUserIds) {
      const groups = new Map<string, { id: string; displayName: string }[]>();
      if (directoryUserIds.length === 0) return groups;
      // One join: a lookup of a user in no group costs one query, not a second for no groups.
      const rows = await db.$queryRaw<Array<{ user_id: string; id: string; display_name: string }>>`
        SELECT m."directory_user_id" AS user_id, g."id", g."display_name"
          FROM "directory_group_members" m JOIN "directory_groups" g ON g."id" = m."group_id"
         WHERE m."directory_user_id" IN (${Prisma.join([...directoryUserIds])})
         ORDER BY m."group_id"`;
      for (const row of rows) {
        const group = { id: row.id, displayName: row.display_name };
        groups.set(row.user_id, [...(groups.get(row.user_id) ?? []), group]);
      }
      return groups;
    },
  };
}
