import { randomUUID } from 'node:crypto';
import type { Database } from '../../../src/domain/ports/repositories.js';
import type { UserRecord } from '../../../src/domain/ports/repositories.js';

export { useTestDatabase } from '../provisioning/sso-fixtures.js';

/** A local account no other test of the run uses (they share one database). */
export function createTestUser(db: Database): Promise<UserRecord> {
  return db.users.create({
    id: `usr_${randomUUID()}`,
    email: `${randomUUID().slice(0, 8)}@underwriters.example`,
    emailVerified: true,
    name: 'Ada Lovelace',
    passwordHash: null,
    managedBy: null,
  });
}

/** A clock the test moves by hand, handed to both the service and the in-process store. */
export function movableClock(start: Date) {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    nowMs: () => current,
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
  };
}
