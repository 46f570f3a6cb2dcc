import { Redis } from 'ioredis';
import type { LogoutQueue, SessionRegistry } from '../../domain/ports/sessions.js';
import { createRedisLogoutQueue } from './session-logout-queue.js';
import { createRedisSessionRegistry } from './session-registry.js';

export interface SessionStores {
  registry: SessionRegistry;
  logouts: LogoutQueue;
  close(): Promise<void>;
}

/**
 * The session registry and the logout queue on Redis, over a connection of their own (the same
 * settings as openRedis): both are shared by every instance and by the `gatehouse sessions` command.
 */
export function openRedisSessionStores(
  url: string,
  options: { keyPrefix?: string; onError?: (error: Error) => void } = {},
): SessionStores {
  const keyPrefix = options.keyPrefix ?? 'gh:';
  const redis = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', options.onError ?? (() => {}));
  return {
    registry: createRedisSessionRegistry(redis, keyPrefix),
    logouts: createRedisLogoutQueue(redis, keyPrefix),
    async close() {
      if (redis.status === 'end') return;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
