import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMemorySessionStores } from '../../src/data/memory/session-stores.js';
import { openRedisSessionStores, type SessionStores } from '../../src/data/redis/session-stores.js';
import type { SessionLimit, SessionRecord, SessionReservation } from '../../src/domain/ports/sessions.js';
import { manualClock, sleep } from '../support/clock.js';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { testRedisUrl, uniqueRedisPrefix } from '../support/services.js';

const HOUR = 3_600_000;
const TIMEOUTS = { idleTimeoutSeconds: null, reauthenticationSeconds: null };
const END_OLDEST: SessionLimit = { max: 2, action: 'end_oldest' };
const REFUSE: SessionLimit = { max: 2, action: 'refuse' };

function reservation(userId: string, at: number, organizationId: string | null = null): SessionReservation {
  return {
    key: `int-${randomUUID()}`,
    userId,
    organizationId,
    connectionId: null,
    upstream: null,
    impersonation: null,
    amr: ['pwd'],
    at: new Date(at),
    lifetimeSeconds: 8 * 3600,
    timeouts: TIMEOUTS,
    ip: '198.51.100.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
  };
}

function recordFor(id: string, held: SessionReservation): SessionRecord {
  const { key: _key, at, lifetimeSeconds, ...rest } = held;
  return {
    ...rest,
    id,
    createdAt: at,
    lastSeenAt: at,
    authenticatedAt: at,
    expiresAt: new Date(at.getTime() + lifetimeSeconds * 1000),
  };
}

interface Subject {
  stores: SessionStores;
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** What the session limit and the admin listings rely on, whatever the backend. */
function describeRegistry(name: string, open: () => Promise<Subject>) {
  describe(`session registry: ${name}`, () => {
    let subject: Subject;
    let at = Date.now();
    beforeAll(async () => {
      subject = await open();
    });
    afterAll(() => subject?.close());
    const registry = () => subject.stores.registry;
    /** Reserves and binds a session started a second after the previous one. */
    const signIn = async (userId: string, limit: SessionLimit = END_OLDEST, organizationId?: string) => {
      at += 1000;
      const held = reservation(userId, at, organizationId ?? null);
      const admission = await registry().reserve(held, limit, 60_000);
      if (!admission.admitted) return { admission };
      const id = `ses-${randomUUID()}`;
      expect(await registry().bind(held.key, recordFor(id, held), HOUR)).toBe(true);
      return { admission, id, held };
    };

    it('binds a reservation to its session, listed per user and per organization', async () => {
      const userId = `usr_${randomUUID()}`;
      const organizationId = `org_${randomUUID()}`;
      const { id, held } = await signIn(userId, END_OLDEST, organizationId);
      expect(await registry().findReservation(held!.key)).toBeUndefined();
      const record = await registry().get(id!);
      expect(record).toMatchObject({ id, userId, organizationId, amr: ['pwd'], ip: '198.51.100.7' });
      expect(record!.expiresAt.getTime() - record!.createdAt.getTime()).toBe(8 * HOUR);
      expect((await registry().listForUser(userId)).map((r) => r.id)).toEqual([id]);
      expect((await registry().listForOrganization(organizationId)).map((r) => r.id)).toEqual([id]);
    });

    it('end_oldest names the oldest session once the limit is reached', async () => {
      const userId = `usr_${randomUUID()}`;
      const first = await signIn(userId);
      const second = await signIn(userId);
      expect(second.admission).toEqual({ admitted: true, evicted: [] });
      const third = await signIn(userId);
      expect(third.admission).toEqual({ admitted: true, evicted: [first.id] });
      // Out of the count at once; the caller ends it (and removes its record).
      expect(await registry().remove(first.id!)).toMatchObject({ id: first.id });
      expect((await registry().listForUser(userId)).map((r) => r.id).sort()).toEqual(
        [second.id, third.id].sort(),
      );
    });

    it('refuse turns the sign-in away and keeps nothing of it', async () => {
      const userId = `usr_${randomUUID()}`;
      await signIn(userId, REFUSE);
      await signIn(userId, REFUSE);
      const held = reservation(userId, (at += 1000));
      expect(await registry().reserve(held, REFUSE, 60_000)).toEqual({ admitted: false, live: 2 });
      expect(await registry().findReservation(held.key)).toBeUndefined();
      expect(await registry().listForUser(userId)).toHaveLength(2);
    });

    it('counts reservations, and a reservation that lost its place binds nothing', async () => {
      const userId = `usr_${randomUUID()}`;
      const limit: SessionLimit = { max: 1, action: 'end_oldest' };
      const early = reservation(userId, (at += 1000));
      expect(await registry().reserve(early, limit, 60_000)).toEqual({ admitted: true, evicted: [] });
      const late = reservation(userId, (at += 1000));
      // The earlier sign-in has no session yet: it loses its place, and no session is named.
      expect(await registry().reserve(late, limit, 60_000)).toEqual({ admitted: true, evicted: [] });
      expect(await registry().bind(early.key, recordFor('ses-early', early), HOUR)).toBe(false);
      expect(await registry().get('ses-early')).toBeUndefined();
      expect(await registry().bind(late.key, recordFor('ses-late', late), HOUR)).toBe(true);
      expect((await registry().listForUser(userId)).map((r) => r.id)).toEqual(['ses-late']);
    });

    it('a re-authentication takes no new place and replaces the live record', async () => {
      const userId = `usr_${randomUUID()}`;
      const first = await signIn(userId, REFUSE);
      await signIn(userId, REFUSE);
      const again = { ...reservation(userId, (at += 1000)), amr: ['pwd', 'otp'] };
      expect(await registry().reserve(again, null, 60_000)).toEqual({ admitted: true, evicted: [] });
      const current = await registry().get(first.id!);
      const record = { ...current!, amr: again.amr, authenticatedAt: again.at };
      expect(await registry().bind(again.key, record, HOUR)).toBe(true);
      expect(await registry().get(first.id!)).toMatchObject({
        amr: ['pwd', 'otp'],
        authenticatedAt: again.at,
      });
      expect(await registry().listForUser(userId)).toHaveLength(2);
    });

    it('re-admits a session under a stricter limit, and moves it between organizations', async () => {
      const userId = `usr_${randomUUID()}`;
      const [a, b, c] = [
        await signIn(userId),
        await signIn(userId),
        await signIn(userId, { max: 3, action: 'refuse' }),
      ];
      expect(await registry().admit(userId, c.id!, { max: 1, action: 'refuse' })).toEqual({
        admitted: false,
        live: 2,
      });
      expect(await registry().admit(userId, c.id!, { max: 2, action: 'end_oldest' })).toEqual({
        admitted: true,
        evicted: [a.id],
      });
      const organizationId = `org_${randomUUID()}`;
      const current = await registry().get(b.id!);
      expect(await registry().update({ ...current!, organizationId }, HOUR)).toBe(true);
      expect((await registry().listForOrganization(organizationId)).map((r) => r.id)).toEqual([b.id]);
      expect(await registry().update({ ...current!, id: 'ses-gone' }, HOUR)).toBe(false);
    });

    it('records activity, removes a record once, and forgets expired records', async () => {
      const userId = `usr_${randomUUID()}`;
      const { id } = await signIn(userId);
      const seen = new Date(at + 5000);
      expect(await registry().touch(id!, seen, HOUR)).toBe(true);
      expect((await registry().get(id!))!.lastSeenAt).toEqual(seen);
      expect(await registry().remove(id!)).toMatchObject({ id, lastSeenAt: seen });
      expect(await registry().remove(id!)).toBeUndefined();
      expect(await registry().touch(id!, seen, HOUR)).toBe(false);

      const short = await signIn(userId);
      await registry().touch(short.id!, new Date(at), 200);
      await subject.advance(400);
      expect(await registry().get(short.id!)).toBeUndefined();
      expect(await registry().listForUser(userId)).toEqual([]);
    });

    it('queues logouts: due ones are leased to one claim, completed ones leave', async () => {
      const queue = subject.stores.logouts;
      const now = new Date(at);
      const logout = {
        id: `bcl-${randomUUID()}`,
        clientId: 'app',
        accountId: 'usr_1',
        sid: 'sid-1',
        attempts: 0,
      };
      await queue.enqueue(logout, now);
      await queue.enqueue({ ...logout, id: `bcl-${randomUUID()}` }, new Date(at + HOUR));
      const lease = new Date(at + 30_000);
      expect(await queue.claimDue(now, lease, 10)).toEqual([logout]);
      expect(await queue.claimDue(now, lease, 10)).toEqual([]);
      expect(await queue.claimDue(lease, new Date(at + 60_000), 10)).toEqual([logout]);
      await queue.complete(logout.id);
      expect(await queue.claimDue(new Date(at + 90_000), new Date(at + 120_000), 10)).toEqual([]);
    });
  });
}

describeRegistry('Redis', async () => {
  const prefix = uniqueRedisPrefix();
  const stores = openRedisSessionStores(testRedisUrl(), { keyPrefix: prefix });
  return {
    stores,
    advance: (ms) => sleep(ms),
    close: async () => {
      await stores.close();
      await deleteRedisKeys(testRedisUrl(), prefix);
    },
  };
});

describeRegistry('in-process memory', async () => {
  const clock = manualClock();
  return {
    stores: createMemorySessionStores(clock.now),
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  };
});

describe('session registry: sign-ins racing on two connections', () => {
  const prefix = uniqueRedisPrefix();
  const [one, two] = [0, 1].map(() => openRedisSessionStores(testRedisUrl(), { keyPrefix: prefix }));
  afterAll(async () => {
    await Promise.all([one!.close(), two!.close()]);
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('never admits more than the limit, whichever connection each sign-in uses', async () => {
    const userId = `usr_${randomUUID()}`;
    const limit: SessionLimit = { max: 3, action: 'refuse' };
    const attempts = Array.from({ length: 12 }, (_, index) => reservation(userId, Date.now() + index));
    const answers = await Promise.all(
      attempts.map((held, index) => (index % 2 ? one! : two!).registry.reserve(held, limit, 60_000)),
    );
    expect(answers.filter((answer) => answer.admitted)).toHaveLength(3);
  });

  it('with end_oldest, racing sign-ins leave exactly the limit of places', async () => {
    const userId = `usr_${randomUUID()}`;
    const limit: SessionLimit = { max: 2, action: 'end_oldest' };
    const attempts = Array.from({ length: 10 }, (_, index) => reservation(userId, Date.now() + index));
    await Promise.all(
      attempts.map((held, index) => (index % 2 ? one! : two!).registry.reserve(held, limit, 60_000)),
    );
    const bound = await Promise.all(
      attempts.map((held, index) => one!.registry.bind(held.key, recordFor(`ses-${index}`, held), HOUR)),
    );
    expect(bound.filter(Boolean)).toHaveLength(2);
    expect(await two!.registry.listForUser(userId)).toHaveLength(2);
  });
});
