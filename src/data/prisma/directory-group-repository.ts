import type {
  DirectoryGroupFields,
  DirectoryGroupRecord,
  DirectoryGroupRepository,
} from '../../domain/ports/directories.js';
import { conflict, translateConstraints, type ConstraintRule } from './constraint-errors.js';
import { fromJsonColumn, toJsonColumn } from './json.js';
import { Prisma, type DirectoryGroupRow, type PrismaExecutor } from './prisma-client.js';
import { groupFilterSql, groupOrderBy } from './scim-filter-sql.js';
import { pageOfRecords } from './scim-page.js';

function toRecord(row: DirectoryGroupRow): DirectoryGroupRecord {
  return { ...row, resource: fromJsonColumn(row.resource) };
}

const UNIQUE: ConstraintRule[] = [
  {
    kind: 'unique',
    constraint: 'directory_groups_directory_id_external_id_key',
    error: conflict('a group with this externalId exists in the directory', 'scim_uniqueness'),
  },
];

const columns = <T extends DirectoryGroupFields>(fields: T) => ({
  ...fields,
  resource: toJsonColumn(fields.resource),
});

export function createDirectoryGroupRepository(db: PrismaExecutor): DirectoryGroupRepository {
  return {
    async find(directoryId, id) {
      const row = await db.directoryGroup.findFirst({ where: { directoryId, id } });
      return row ? toRecord(row) : undefined;
    },
    async create(record) {
      const row = await translateConstraints(db.directoryGroup.create({ data: columns(record) }), UNIQUE);
      return toRecord(row);
    },
    async update(directoryId, id, fields, expectedVersion) {
      const { count } = await translateConstraints(
        db.directoryGroup.updateMany({
          where: { directoryId, id, ...(expectedVersion === undefined ? {} : { version: expectedVersion }) },
          data: { ...columns(fields), version: { increment: 1 } },
        }),
        UNIQUE,
      );
      return count === 0 ? undefined : this.find(directoryId, id);
    },
    async delete(directoryId, id) {
      const { count } = await db.directoryGroup.deleteMany({ where: { directoryId, id } });
      return count > 0;
    },
    async query(directoryId, query, hints) {
      const where = Prisma.sql`g.directory_id = ${directoryId}${
        query.filter ? Prisma.sql` AND (${groupFilterSql(query.filter)})` : Prisma.empty
      }`;
      return pageOfRecords(
        db,
        {
          from: Prisma.sql`directory_groups g`,
          where,
          orderBy: groupOrderBy(query.sortBy, query.sortOrder),
          alias: Prisma.raw('g'),
          startIndex: query.startIndex,
          count: query.count,
        },
        hints,
        async (ids) => (await db.directoryGroup.findMany({ where: { id: { in: ids } } })).map(toRecord),
      );
    },
    async members(groupIds) {
      const members = new Map<string, { id: string; userName: string }[]>();
      if (groupIds.length === 0) return members;
      const rows = await db.$queryRaw<Array<{ group_id: string; id: string; user_name: string }>>`
        SELECT m."group_id", u."id", u."user_name"
          FROM "directory_group_members" m JOIN "directory_users" u ON u."id" = m."directory_user_id"
         WHERE m."group_id" IN (${Prisma.join([...groupIds])})
         ORDER BY m."directory_user_id"`;
      for (const row of rows) {
        const member = { id: row.id, userName: row.user_name };
        members.set(row.group_id, [...(members.get(row.group_id) ?? []), member]);
      }
      return members;
    },
    async replaceMembers(directoryId, groupId, directoryUserIds) {
      // Only users of the same directory: an id from another tenant's directory is not a member here.
      const wanted = await db.directoryUser.findMany({
        where: { directoryId, id: { in: [...directoryUserIds] } },
        select: { id: true },
      });
      await db.directoryGroupMember.deleteMany({
        where: { groupId, directoryUserId: { notIn: wanted.map((user) => user.id) } },
      });
      await db.directoryGroupMember.createMany({
        data: wanted.map((user) => ({ groupId, directoryUserId: user.id })),
        skipDuplicates: true,
      });
    },
    async groupNamesOf(directoryUserId) {
      const rows = await db.directoryGroupMember.findMany({
        where: { directoryUserId },
        select: { group: { select: { displayName: true } } },
      });
      return rows.map((row) => row.group.displayName);
    },
    async memberIdsOfGroups(directoryId, displayNameKeys) {
      const rows = await db.directoryGroupMember.findMany({
        where: { group: { directoryId, displayNameKey: { in: [...displayNameKeys] } } },
        select: { directoryUserId: true },
        distinct: ['directoryUserId'],
      });
      return rows.map((row) => row.directoryUserId);
    },
  };
}
