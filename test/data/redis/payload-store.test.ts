import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { openRedis } from '../../../src/data/redis/index.js';
import type { RedisStores } from '../../../src/data/redis/index.js';
import { deleteRedisKeys } from '../../support/redis-cleanup.js';
import { testRedisUrl, uniqueRedisPrefix } from '../../support/services.js';

/**
 * What the contract cannot see: keys left behind. On a shared Redis every key without a TTL is a
 * leak, so each index key must die with (or before) the payload it points at.
 */
describe('Redis payload store key hygiene', () => {
  const prefix = uniqueRedisPrefix();
  let stores: RedisStores;
  let raw: Redis;
  const keys = () => raw.keys(`${prefix}*`);

  beforeAll(() => {
    stores = openRedis(testRedisUrl(), { keyPrefix: prefix });
    raw = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    await stores.close();
    await raw.quit();
    await deleteRedisKeys(testRedisUrl(), prefix);
  });

  it('consume of a missing payload writes nothing', async () => {
    await stores.payloadStore().consume('AuthorizationCode', 'missing');
    expect(await keys()).toEqual([]);
  });

  it('gives index keys the payload TTL and the grant set the longest one', async () => {
    const store = stores.payloadStore();
    await store.upsert('AccessToken', 'short', { grantId: 'g1', uid: 'u1' }, 60);
    await store.upsert('AccessToken', 'long', { grantId: 'g1' }, 600);
    await store.upsert('AccessToken', 'shorter', { grantId: 'g1' }, 30);
    const ttl = (key: string) => raw.ttl(`${prefix}${key}`);
    expect(await ttl('oidc:AccessToken:p:short')).toBeGreaterThan(50);
    expect(await ttl('oidc:AccessToken:uid:u1')).toBeGreaterThan(50);
    expect(await ttl('oidc:AccessToken:uid:u1')).toBeLessThanOrEqual(60);
    expect(await ttl('oidc:AccessToken:grant:g1')).toBeGreaterThan(590);

    await store.upsert('Grant', 'forever', { grantId: 'g2' });
    expect(await ttl('oidc:Grant:grant:g2')).toBe(-1);
    expect(await ttl('oidc:Grant:p:forever')).toBe(-1);
  });

  it('leaves no key behind after destroy and revoke', async () => {
    const store = stores.payloadStore();
    await store.upsert('Session', 's1', { uid: 'su1' }, 60);
    await store.destroy('Session', 's1');
    await store.upsert('DeviceCode', 'd1', { grantId: 'g3', userCode: 'UC1', uid: 'du1' }, 60);
    await store.revokeByGrantId('DeviceCode', 'g3');
    await store.revokeByGrantId('AccessToken', 'g1');
    await store.revokeByGrantId('Grant', 'g2');
    expect(await keys()).toEqual([]);
  });
});
