import { randomUUID } from 'node:crypto';
import type { OpenedDatabase } from '../../src/data/database.js';

/**
 * A stored user with a unique email, for tests of rows that belong to a user. Free of jest, so
 * probes that run in a process of their own can use it too.
 */
export function createStoredUser(db: Pick<OpenedDatabase, 'users'>) {
  return db.users.create({
    id: `usr_${randomUUID()}`,
    email: `${randomUUID()}@example.test`,
    emailVerified: true,
    name: null,
    passwordHash: null,
    managedBy: null,
  });
}

/** An active membership of `userId` in `organizationId` with no roles; `fields` sets any of it. */
export function createStoredMembership(
  db: Pick<OpenedDatabase, 'memberships'>,
  userId: string,
  organizationId: string,
  fields: Partial<Parameters<OpenedDatabase['memberships']['create']>[0]> = {},
) {
  return db.memberships.create({
    id: randomUUID(),
    userId,
    organizationId,
    status: 'active',
    roles: [],
    ruleRoles: [],
    ...fields,
  });
}
