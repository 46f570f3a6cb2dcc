import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/data/database.js';
import { createMemoryPayloadStore } from '../../src/data/memory/index.js';
import { openRedis } from '../../src/data/redis/index.js';
import { manualClock, sleep } from '../support/clock.js';
import { MIGRATIONS_DIR } from '../support/paths.js';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { testDatabaseUrl, testRedisUrl, uniqueRedisPrefix } from '../support/services.js';
import { describePayloadStoreContract } from './payload-store-contract.js';

describePayloadStoreContract('SQL on PostgreSQL', async () => {
  const clock = manualClock();
  const db = await openDatabase({ url: testDatabaseUrl(), dataDir: 'unused' });
  return {
    store: db.payloadStore({ now: clock.now }),
    rotates: true,
    now: clock.now,
    advance: async (ms) => clock.advance(ms),
    close: () => db.close(),
  };
});

describePayloadStoreContract('SQL on PGlite', async () => {
  const clock = manualClock();
  const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-pglite-'));
  const db = await openDatabase({ dataDir });
  await db.migrate(MIGRATIONS_DIR);
  return {
    store: db.payloadStore({ now: clock.now }),
    rotates: true,
    now: clock.now,
    advance: async (ms) => clock.advance(ms),
    close: async () => {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

describePayloadStoreContract('Redis', async () => {
  const prefix = uniqueRedisPrefix();
  const redis = openRedis(testRedisUrl(), { keyPrefix: prefix });
  await redis.ping();
  return {
    store: redis.payloadStore(),
    now: Date.now,
    // Expiry is the server's own TTL: only real time moves it.
    advance: (ms) => sleep(ms),
    close: async () => {
      await redis.close();
      await deleteRedisKeys(testRedisUrl(), prefix);
    },
  };
});

describePayloadStoreContract('in-process memory', async () => {
  const clock = manualClock();
  return {
    store: createMemoryPayloadStore({ now: clock.now }),
    now: clock.now,
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  };
});
