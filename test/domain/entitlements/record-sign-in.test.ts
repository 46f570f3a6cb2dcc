import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../../src/domain/ports/repositories.js';
import { createEntitlements } from '../../../src/domain/entitlements/entitlements.js';

/** A database that only records monthly active users, and fails the first write when told to. */
function recordingDatabase(failFirst = false) {
  const writes: string[] = [];
  let failures = failFirst ? 1 : 0;
  const db = {
    monthlyActiveUsers: {
      async record(organizationId: string, month: string, userId: string) {
        if (failures-- > 0) throw new Error('connection lost');
        writes.push(`${organizationId} ${month} ${userId}`);
        return true;
      },
    },
  } as unknown as Database;
  return { db, writes };
}

describe('recording sign-ins as monthly active users', () => {
  it("writes a user's first sign-in to an organization each month, not the ones after", async () => {
    const { db, writes } = recordingDatabase();
    let now = new Date('2026-11-30T23:59:00Z');
    const { recordSignIn } = createEntitlements(db, () => now);
    await recordSignIn('org_a', 'usr_1');
    await recordSignIn('org_a', 'usr_1');
    await recordSignIn('org_b', 'usr_1');
    await recordSignIn('org_a', 'usr_2');
    now = new Date('2026-12-01T00:01:00Z');
    await recordSignIn('org_a', 'usr_1');
    expect(writes).toEqual([
      'org_a 2026-11 usr_1',
      'org_b 2026-11 usr_1',
      'org_a 2026-11 usr_2',
      'org_a 2026-12 usr_1',
    ]);
  });

  it('writes again after a write that failed', async () => {
    const { db, writes } = recordingDatabase(true);
    const { recordSignIn } = createEntitlements(db, () => new Date('2026-11-30T12:00:00Z'));
    await expect(recordSignIn('org_a', 'usr_1')).rejects.toThrow('connection lost');
    await recordSignIn('org_a', 'usr_1');
    expect(writes).toEqual(['org_a 2026-11 usr_1']);
  });
});
