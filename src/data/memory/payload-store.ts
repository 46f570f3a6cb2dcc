import type { Payload, PayloadStore } from '../../domain/ports/payload-store.js';
import { ExpiringMap } from './expiring-map.js';
import type { Clock } from './expiring-map.js';

export interface MemoryStoreOptions {
  now?: Clock;
}

/** JSON copies: callers can neither mutate stored state nor see what Redis/PostgreSQL would drop. */
const copy = (payload: Payload): Payload => JSON.parse(JSON.stringify(payload)) as Payload;

/**
 * oidc-provider models in process memory, for the embedded single-process mode. Lookups by uid,
 * user code and grant scan the model's live entries: fine at that scale.
 */
export function createMemoryPayloadStore(options: MemoryStoreOptions = {}): PayloadStore {
  const now = options.now ?? Date.now;
  const entries = new ExpiringMap<Payload>(now);
  const keyOf = (model: string, id: string) => `${model}\u0000${id}`;

  function findBy(model: string, field: 'uid' | 'userCode', value: string): Payload | undefined {
    const prefix = `${model}\u0000`;
    for (const [key, payload] of entries.entries()) {
      if (key.startsWith(prefix) && payload[field] === value) return copy(payload);
    }
    return undefined;
  }

  return {
    async upsert(model, id, payload, expiresIn) {
      entries.set(keyOf(model, id), copy(payload), expiresIn === undefined ? undefined : expiresIn * 1000);
    },
    async find(model, id) {
      const payload = entries.get(keyOf(model, id));
      return payload ? copy(payload) : undefined;
    },
    async findByUid(model, uid) {
      return findBy(model, 'uid', uid);
    },
    async findByUserCode(model, userCode) {
      return findBy(model, 'userCode', userCode);
    },
    async consume(model, id) {
      const key = keyOf(model, id);
      const payload = entries.get(key);
      if (!payload || payload.consumed !== undefined) return false;
      entries.replace(key, { ...payload, consumed: Math.floor(now() / 1000) });
      return true;
    },
    async destroy(model, id) {
      entries.delete(keyOf(model, id));
    },
    async revokeByGrantId(model, grantId) {
      const prefix = `${model}\u0000`;
      const doomed = [...entries.entries()]
        .filter(([key, payload]) => key.startsWith(prefix) && payload.grantId === grantId)
        .map(([key]) => key);
      for (const key of doomed) entries.delete(key);
    },
  };
}
