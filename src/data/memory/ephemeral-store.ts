import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { ExpiringMap } from './expiring-map.js';
import type { MemoryStoreOptions } from './payload-store.js';

/**
 * Counters, single-use markers and small values for one process. Each method runs without an
 * await between its read and write, so it is atomic on Node's single thread.
 */
export function createMemoryEphemeralStore(options: MemoryStoreOptions = {}): EphemeralStore {
  const values = new ExpiringMap<string>(options.now ?? Date.now);
  return {
    async hit(key, windowSeconds, amount = 1) {
      const previous = values.get(key);
      const count = Number(previous ?? '0') + amount;
      // Fixed window: only the first hit sets the deadline (like Redis EXPIRE NX).
      if (previous === undefined) values.set(key, String(count), windowSeconds * 1000);
      else values.replace(key, String(count));
      return count;
    },
    async putIfAbsent(key, value, ttlSeconds) {
      if (values.has(key)) return false;
      values.set(key, value, ttlSeconds * 1000);
      return true;
    },
    async put(key, value, ttlSeconds) {
      values.set(key, value, ttlSeconds * 1000);
    },
    async get(key) {
      return values.get(key);
    },
    async take(key) {
      const value = values.get(key);
      if (value !== undefined) values.delete(key);
      return value;
    },
    async delete(key) {
      values.delete(key);
    },
    async ping() {},
  };
}
