import type { Redis } from 'ioredis';
import type { Payload, PayloadStore } from '../../domain/ports/payload-store.js';
import {
  consumePayload,
  destroyPayload,
  findThroughIndex,
  revokeGrant,
  upsertPayload,
} from './payload-scripts.js';

/** Key layout, one namespace per model so ids of different models never collide. */
function keysFor(prefix: string, model: string) {
  const base = `${prefix}oidc:${model}:`;
  return {
    payloadPrefix: `${base}p:`,
    payload: (id: string) => `${base}p:${id}`,
    grant: (grantId: string) => `${base}grant:${grantId}`,
    uid: (uid: string) => `${base}uid:${uid}`,
    userCode: (userCode: string) => `${base}uc:${userCode}`,
  };
}

/** A payload hash's `payload` and `consumed` fields as the payload; undefined when it is gone. */
function fromFields(fields: Array<string | null> | null): Payload | undefined {
  const [json, consumed] = fields ?? [];
  if (json === null || json === undefined) return undefined;
  const payload = JSON.parse(json) as Payload;
  return consumed ? { ...payload, consumed: Number(consumed) } : payload;
}

const flag = (value: unknown) => (typeof value === 'string' ? '1' : '0');

/** EXPIRE takes whole seconds; round up so a payload never dies before its announced time. */
const ttlSeconds = (expiresIn: number | undefined) =>
  expiresIn === undefined ? 0 : Math.max(1, Math.ceil(expiresIn));

export interface RedisPayloadStoreOptions {
  keyPrefix: string;
  /** Milliseconds since the epoch, for the `consumed` stamp. Expiry itself is Redis' clock. */
  now?: () => number;
}

/** oidc-provider models on Redis, after oidc-provider's example/adapters/redis.js. */
export function createRedisPayloadStore(redis: Redis, options: RedisPayloadStoreOptions): PayloadStore {
  const { keyPrefix, now = Date.now } = options;
  async function find(model: string, id: string): Promise<Payload | undefined> {
    return fromFields(await redis.hmget(keysFor(keyPrefix, model).payload(id), 'payload', 'consumed'));
  }

  // One round trip (the index, then the payload it points at, on the server): a session is looked
  // up by uid at every refresh of a token bound to it.
  async function findByIndex(
    model: string,
    indexKey: string,
    matches: (payload: Payload) => boolean,
  ): Promise<Payload | undefined> {
    const fields = await findThroughIndex(redis, [indexKey], [keysFor(keyPrefix, model).payloadPrefix]);
    const payload = fromFields(fields as Array<string | null> | null);
    // The index may point at a payload replaced since; never return someone else's.
    return payload && matches(payload) ? payload : undefined;
  }

  return {
    async upsert(model, id, payload, expiresIn) {
      const keys = keysFor(keyPrefix, model);
      const { grantId, uid, userCode } = payload;
      await upsertPayload(
        redis,
        [
          keys.payload(id),
          keys.grant(typeof grantId === 'string' ? grantId : ''),
          keys.uid(typeof uid === 'string' ? uid : ''),
          keys.userCode(typeof userCode === 'string' ? userCode : ''),
        ],
        [JSON.stringify(payload), ttlSeconds(expiresIn), id, flag(grantId), flag(uid), flag(userCode)],
      );
    },
    find,
    findByUid: (model, uid) =>
      findByIndex(model, keysFor(keyPrefix, model).uid(uid), (payload) => payload.uid === uid),
    findByUserCode: (model, userCode) =>
      findByIndex(model, keysFor(keyPrefix, model).userCode(userCode), (p) => p.userCode === userCode),
    async consume(model, id) {
      return (
        (await consumePayload(redis, [keysFor(keyPrefix, model).payload(id)], [Math.floor(now() / 1000)])) ===
        1
      );
    },
    async destroy(model, id) {
      await destroyPayload(redis, [keysFor(keyPrefix, model).payload(id)], [id]);
    },
    async revokeByGrantId(model, grantId) {
      await revokeGrant(redis, [keysFor(keyPrefix, model).grant(grantId)], []);
    },
  };
}
