export { createMemoryPayloadStore } from './payload-store.js';
export type { MemoryStoreOptions } from './payload-store.js';
export { createMemoryEphemeralStore } from './ephemeral-store.js';
export type { Clock } from './expiring-map.js';
