import { conflict, translateConstraints } from './constraint-errors.js';
import type { NewUser, UserRecord, UserRepository } from '../../domain/ports/repositories.js';
import { fromJsonColumn } from './json.js';
import { idAfter, pageArgs } from './page.js';
import type { PrismaExecutor, UserRow } from './prisma-client.js';

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    emailVerified: row.emailVerified,
    name: row.name,
    profile: fromJsonColumn(row.profile) as Record<string, string>,
    passwordHash: row.passwordHash,
    managedBy: row.managedBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function createUserRepository(db: PrismaExecutor): UserRepository {
  return {
    async findById(id) {
      const row = await db.user.findUnique({ where: { id } });
      return row ? toRecord(row) : undefined;
    },
    async findByEmail(email) {
      const row = await db.user.findUnique({ where: { email } });
      return row ? toRecord(row) : undefined;
    },
    async list(filter = {}) {
      const rows = await db.user.findMany({
        where: filter.managedBy === undefined ? {} : { managedBy: filter.managedBy },
        orderBy: { email: 'asc' },
      });
      return rows.map(toRecord);
    },
    async search(filter, page) {
      const rows = await db.user.findMany({
        where: {
          email: filter.email,
          memberships:
            filter.organizationIds === undefined
              ? undefined
              : { some: { organizationId: { in: [...filter.organizationIds] } } },
          id: idAfter(page),
        },
        ...pageArgs(page),
      });
      return rows.map(toRecord);
    },
    async create(user: NewUser) {
      const row = await translateConstraints(db.user.create({ data: { ...user } }), [
        { kind: 'unique', error: conflict(`an account with email ${user.email} exists`, 'email_taken') },
      ]);
      return toRecord(row);
    },
    async findManyByEmail(emails) {
      const rows = await db.user.findMany({ where: { email: { in: [...emails] } } });
      return rows.map(toRecord);
    },
    async createMany(users) {
      const rows = await translateConstraints(
        db.user.createManyAndReturn({ data: users.map((user) => ({ ...user })) }),
        [{ kind: 'unique', error: conflict('an account with one of these emails exists', 'email_taken') }],
      );
      return rows.map(toRecord);
    },
    async update(id, changes) {
      return toRecord(await db.user.update({ where: { id }, data: { ...changes } }));
    },
    async delete(id) {
      // deleteMany: deleting what is already gone is not an error for callers (idempotent).
      await db.user.deleteMany({ where: { id } });
    },
  };
}
