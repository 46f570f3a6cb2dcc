import type { SessionStores } from '../redis/session-stores.js';
import type { Clock } from './expiring-map.js';
import { createMemoryLogoutQueue } from './session-logout-queue.js';
import { createMemorySessionRegistry } from './session-registry.js';

/** The session registry and logout queue for the embedded default (no REDIS_URL): one process. */
export function createMemorySessionStores(now?: Clock): SessionStores {
  return {
    registry: createMemorySessionRegistry(now),
    logouts: createMemoryLogoutQueue(),
    close: async () => {},
  };
}
