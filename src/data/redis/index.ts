export { openRedis } from './open-redis.js';
export type { OpenRedisOptions, RedisStores } from './open-redis.js';
export { createRedisPayloadStore } from './payload-store.js';
export type { RedisPayloadStoreOptions } from './payload-store.js';
export { createRedisEphemeralStore } from './ephemeral-store.js';
