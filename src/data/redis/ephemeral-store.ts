import type { Redis } from 'ioredis';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';

const wholeSeconds = (seconds: number) => Math.max(1, Math.ceil(seconds));

export function createRedisEphemeralStore(redis: Redis, keyPrefix: string): EphemeralStore {
  const keyOf = (key: string) => `${keyPrefix}kv:${key}`;
  return {
    async hit(key, windowSeconds, amount = 1) {
      const k = keyOf(key);
      // Fixed window: the first hit starts the clock (NX), later hits never extend it.
      const results = await redis
        .multi()
        .incrby(k, amount)
        .expire(k, wholeSeconds(windowSeconds), 'NX')
        .exec();
      const [incrError, count] = results?.[0] ?? [new Error('rate counter transaction was aborted')];
      if (incrError) throw incrError;
      return Number(count);
    },
    async putIfAbsent(key, value, ttlSeconds) {
      const reply = await redis.set(keyOf(key), value, 'EX', wholeSeconds(ttlSeconds), 'NX');
      return reply === 'OK';
    },
    async put(key, value, ttlSeconds) {
      await redis.set(keyOf(key), value, 'EX', wholeSeconds(ttlSeconds));
    },
    async get(key) {
      return (await redis.get(keyOf(key))) ?? undefined;
    },
    async take(key) {
      return (await redis.getdel(keyOf(key))) ?? undefined;
    },
    async delete(key) {
      await redis.del(keyOf(key));
    },
    async ping() {
      await redis.ping();
    },
  };
}
