import { describe, expect, it } from '@jest/globals';
import type { Database } from '../../../src/domain/ports/repositories.js';
import { readOnlyAttempt } from '../../../src/domain/provisioning/read-only-attempt.js';

/** A database of two repositories that logs every call it answers. */
function fakeDatabase() {
  const calls: string[] = [];
  const db = {
    users: {
      findById: async (id: string) => (calls.push(`users.findById ${id}`), { id }),
      update: async (id: string) => (calls.push(`users.update ${id}`), { id }),
    },
    identities: {
      touch: async (id: string) => (calls.push(`identities.touch ${id}`), { id }),
    },
  } as unknown as Database;
  return { db, calls };
}

const TOUCH = { repository: 'identities', method: 'touch' } as const;

describe('a read-only attempt', () => {
  it('answers reads, and makes the deferred write only once the work finished', async () => {
    const { db, calls } = fakeDatabase();
    const answer = await readOnlyAttempt(db, TOUCH, async (repos) => {
      await repos.identities.touch('idn_1', {}, new Date());
      calls.push('work done');
      return (await repos.users.findById('usr_1'))?.id;
    });
    expect(answer).toBe('usr_1');
    expect(calls).toEqual(['work done', 'users.findById usr_1', 'identities.touch idn_1']);
  });

  it('stops at any other write, having written nothing, and answers undefined', async () => {
    const { db, calls } = fakeDatabase();
    const answer = await readOnlyAttempt(db, TOUCH, async (repos) => {
      await repos.identities.touch('idn_1', {}, new Date());
      await repos.users.update('usr_1', { name: 'x' });
      calls.push('not reached');
      return 'done';
    });
    expect(answer).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('answers undefined when the work caught the refusal of a write and went on', async () => {
    const { db, calls } = fakeDatabase();
    const answer = await readOnlyAttempt(db, TOUCH, async (repos) => {
      await repos.identities.touch('idn_1', {}, new Date());
      await repos.users.update('usr_1', { name: 'x' }).catch(() => undefined);
      return 'done';
    });
    expect(answer).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it("passes the work's own errors on", async () => {
    const { db } = fakeDatabase();
    await expect(
      readOnlyAttempt(db, TOUCH, async () => {
        throw new Error('refused upstream');
      }),
    ).rejects.toThrow('refused upstream');
  });
});
