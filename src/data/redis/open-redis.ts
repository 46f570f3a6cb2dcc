import { Redis } from 'ioredis';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { PayloadStore } from '../../domain/ports/payload-store.js';
import { createRedisEphemeralStore } from './ephemeral-store.js';
import { createRedisPayloadStore } from './payload-store.js';

export interface OpenRedisOptions {
  /** Prepended to every key, so several deployments (or test runs) can share one server. */
  keyPrefix?: string;
  /** Errors raised while no command is waiting (reconnects); commands still reject on their own. */
  onError?: (error: Error) => void;
  /** Milliseconds since the epoch, for `consumed` stamps. */
  now?: () => number;
}

export interface RedisStores {
  payloadStore(): PayloadStore;
  ephemeralStore(): EphemeralStore;
  /** Throws when the server cannot be reached; call it at boot to fail fast on a wrong URL. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Connects in the background; commands issued before the connection is up wait for it. */
export function openRedis(url: string, options: OpenRedisOptions = {}): RedisStores {
  const keyPrefix = options.keyPrefix ?? 'gh:';
  const redis = new Redis(url, {
    // Fail a command after a few reconnect attempts instead of queueing it forever.
    maxRetriesPerRequest: 3,
    // Commands issued in the same tick share one write: under load that is most of them.
    enableAutoPipelining: true,
  });
  // Without a listener ioredis prints every reconnect failure to the console.
  redis.on('error', options.onError ?? (() => {}));
  return {
    payloadStore: () => createRedisPayloadStore(redis, { keyPrefix, now: options.now }),
    ephemeralStore: () => createRedisEphemeralStore(redis, keyPrefix),
    async ping() {
      await redis.ping();
    },
    async close() {
      if (redis.status === 'end') return;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
