import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { openDatabase, type OpenedDatabase } from '../../../src/data/database.js';
import { manualClock } from '../../support/clock.js';
import { testDatabaseUrl } from '../../support/services.js';

// Far in the future, so rows other suites write into the shared database are never expired here.
const FUTURE = Date.now() + 100 * 365 * 24 * 3600 * 1000;

describe('purging expired durable payloads', () => {
  let db: OpenedDatabase;
  beforeAll(async () => {
    db = await openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' });
  });
  afterAll(() => db.close());

  it('deletes expired rows only, and counts them', async () => {
    const clock = manualClock(FUTURE);
    const store = db.payloadStore({ now: clock.now });
    const model = `PurgeTest${randomUUID().slice(0, 8)}`;
    await store.upsert(model, 'short', { grantId: 'g' }, 60);
    await store.upsert(model, 'long', { grantId: 'g' }, 3600);
    await store.upsert(model, 'forever', { grantId: 'g' });
    clock.advance(61_000);

    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.find(model, 'long')).toEqual({ grantId: 'g' });
    expect(await store.find(model, 'forever')).toEqual({ grantId: 'g' });
    // Gone from the table, not only hidden: seen from before its expiry it is still missing.
    const earlier = db.payloadStore({ now: () => FUTURE });
    expect(await earlier.find(model, 'short')).toBeUndefined();
    expect(await earlier.find(model, 'long')).toEqual({ grantId: 'g' });
  });
});
