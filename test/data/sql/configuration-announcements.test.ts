import { describe, expect, it } from '@jest/globals';
import { followConfigurationAnnouncements } from '../../../src/data/sql/configuration-announcements.js';
import { createConfigurationCache } from '../../../src/data/sql/configuration-cache.js';
import type { NotificationHandlers } from '../../../src/data/sql/notification-listener.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A database connection played by hand: what the process listens with, what it announces, and
 * whether the cache keeps answers (a read made twice runs once when it does).
 */
async function follow(options: { probeTimeoutMs?: number } = {}) {
  const cache = createConfigurationCache();
  const sent: string[] = [];
  const errors: Error[] = [];
  let handlers: NotificationHandlers | undefined;
  const listener = await followConfigurationAnnouncements({
    cache,
    listen: async (_channel, given) => {
      handlers = given;
      return { close: async () => given.onListening(false) };
    },
    notify: async (_channel, payload) => void sent.push(payload),
    onError: (error) => errors.push(error),
    probeEveryMs: 60_000,
    probeTimeoutMs: options.probeTimeoutMs ?? 60_000,
  });
  const keeps = async () => {
    let reads = 0;
    const read = async () => (reads += 1);
    await cache.remembered('key', read);
    await cache.remembered('key', read);
    cache.forgetAll();
    return reads === 1;
  };
  return { handlers: () => handlers!, sent, errors, keeps, listener, cache };
}

describe('following configuration announcements', () => {
  it('keeps answers only once its own probe came back through the database', async () => {
    const db = await follow();
    expect(await db.keeps()).toBe(false);
    db.handlers().onListening(true);
    expect(db.sent).toEqual([expect.stringMatching(/^probe:/)]);
    expect(await db.keeps()).toBe(false);
    db.handlers().onNotification('probe:of-another-process');
    expect(await db.keeps()).toBe(false);
    db.handlers().onNotification(db.sent[0]!);
    expect(await db.keeps()).toBe(true);
    await db.listener.close();
    expect(await db.keeps()).toBe(false);
  });

  it('forgets on a change, and not on another process’s probe', async () => {
    const db = await follow();
    db.handlers().onListening(true);
    db.handlers().onNotification(db.sent[0]!);
    let reads = 0;
    const read = async () => (reads += 1);
    await db.cache.remembered('key', read);
    db.handlers().onNotification('probe:of-another-process');
    await db.cache.remembered('key', read);
    expect(reads).toBe(1);
    db.handlers().onNotification('organizations');
    await db.cache.remembered('key', read);
    expect(reads).toBe(2);
    await db.listener.close();
  });

  it('forgets only the user’s standing on a change to their memberships', async () => {
    const db = await follow();
    db.handlers().onListening(true);
    db.handlers().onNotification(db.sent[0]!);
    let reads = 0;
    const read = async () => (reads += 1);
    const readAll = async () => {
      await db.cache.remembered('configuration', read);
      await db.cache.remembered('ann', read, ['memberships', 'user:ann']);
      await db.cache.remembered('bob', read, ['memberships', 'user:bob']);
    };
    await readAll();
    expect(reads).toBe(3);
    db.handlers().onNotification('user:ann');
    await readAll();
    expect(reads).toBe(4);
    db.handlers().onNotification('memberships'); // a TRUNCATE: everything
    await readAll();
    expect(reads).toBe(7);
    await db.listener.close();
  });

  it('stops keeping when a probe does not come back in time, says so, and starts again when one does', async () => {
    const db = await follow({ probeTimeoutMs: 20 });
    db.handlers().onListening(true);
    db.handlers().onNotification(db.sent[0]!);
    expect(await db.keeps()).toBe(true);

    // The connection comes back (a new session): it probes again, and this probe is lost.
    db.handlers().onListening(false);
    expect(await db.keeps()).toBe(false);
    db.handlers().onListening(true);
    db.handlers().onNotification(db.sent[1]!);
    expect(await db.keeps()).toBe(true);
    db.handlers().onListening(true);
    await pause(60);
    expect(await db.keeps()).toBe(false);
    expect(db.errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining('stopped arriving') }),
    ]);

    db.handlers().onListening(true);
    db.handlers().onNotification(db.sent[3]!);
    expect(await db.keeps()).toBe(true);
    await db.listener.close();
  });
});
