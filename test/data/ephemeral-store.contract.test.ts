import { createMemoryEphemeralStore } from '../../src/data/memory/index.js';
import { openRedis } from '../../src/data/redis/index.js';
import { manualClock, sleep } from '../support/clock.js';
import { deleteRedisKeys } from '../support/redis-cleanup.js';
import { testRedisUrl, uniqueRedisPrefix } from '../support/services.js';
import { describeEphemeralStoreContract } from './ephemeral-store-contract.js';

describeEphemeralStoreContract('Redis', async () => {
  const prefix = uniqueRedisPrefix();
  const redis = openRedis(testRedisUrl(), { keyPrefix: prefix });
  return {
    store: redis.ephemeralStore(),
    advance: (ms) => sleep(ms),
    close: async () => {
      await redis.close();
      await deleteRedisKeys(testRedisUrl(), prefix);
    },
  };
});

describeEphemeralStoreContract('in-process memory', async () => {
  const clock = manualClock();
  return {
    store: createMemoryEphemeralStore({ now: clock.now }),
    advance: async (ms) => clock.advance(ms),
    close: async () => {},
  };
});
