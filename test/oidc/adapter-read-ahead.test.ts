import { afterEach, describe, expect, it } from '@jest/globals';
import { createMemoryPayloadStore } from '../../src/data/memory/payload-store.js';
import type { PayloadStore } from '../../src/domain/ports/payload-store.js';
import { createAdapterClass, readAhead } from '../../src/oidc/adapter.js';

/** A memory store that counts its reads, standing for PostgreSQL (refresh tokens) and Redis (codes). */
function countingStore(): PayloadStore & { reads: () => number } {
  const store = createMemoryPayloadStore();
  let reads = 0;
  return {
    ...store,
    find: (model, id) => {
      reads += 1;
      return store.find(model, id);
    },
    reads: () => reads,
  };
}

const NO_CLIENTS = { providerMetadata: async () => undefined } as never;

describe('reading a token ahead of the token endpoint (oidc/adapter.ts)', () => {
  // oidc-provider runs its routes with the request in Provider.ctx; here the test says which.
  let current: object | undefined;
  const currentRequest = () => current;
  afterEach(() => {
    current = undefined;
  });

  /** An adapter over counting stores, holding one stored refresh token. */
  async function withRefreshToken(id: string, grantId: string) {
    const durable = countingStore();
    const stores = { durable, shortLived: countingStore() };
    const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS }, currentRequest);
    const refreshTokens = new Adapter('RefreshToken');
    await refreshTokens.upsert(id, { grantId }, 60);
    return { durable, stores, refreshTokens };
  }

  it('hands the payload a check read to the provider’s own first read in the same request, once', async () => {
    const { durable, stores, refreshTokens } = await withRefreshToken('rt-1', 'grant-1');

    const request = {};
    expect(await readAhead(stores, request, 'RefreshToken', 'rt-1')).toMatchObject({ grantId: 'grant-1' });
    expect(durable.reads()).toBe(1);

    current = request;
    expect(await refreshTokens.find('rt-1')).toMatchObject({ grantId: 'grant-1' });
    expect(durable.reads()).toBe(1);
    // Taken once: a second read goes to the store.
    expect(await refreshTokens.find('rt-1')).toMatchObject({ grantId: 'grant-1' });
    expect(durable.reads()).toBe(2);
  });

  it('never serves another request, and drops the payload once the token is written', async () => {
    const { durable, stores, refreshTokens } = await withRefreshToken('rt-2', 'grant-2');

    const first = {};
    await readAhead(stores, first, 'RefreshToken', 'rt-2');
    current = {};
    await refreshTokens.find('rt-2');
    expect(durable.reads()).toBe(2);

    current = first;
    await refreshTokens.consume('rt-2');
    const found = await refreshTokens.find('rt-2');
    expect(durable.reads()).toBe(3);
    expect(found).toMatchObject({ consumed: expect.any(Number) });
  });

  it('brings a refresh token’s grant in the same read where the store offers it, for the provider’s own read', async () => {
    const store = createMemoryPayloadStore();
    let reads = 0;
    const durable: PayloadStore = {
      ...store,
      find: (model, id) => {
        reads += 1;
        return store.find(model, id);
      },
      async findWithGrant(model, id) {
        reads += 1;
        const payload = await store.find(model, id);
        const grant =
          typeof payload?.grantId === 'string' ? await store.find('Grant', payload.grantId) : undefined;
        return { payload, grant };
      },
    };
    const stores = { durable, shortLived: countingStore() };
    const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS }, currentRequest);
    const grants = new Adapter('Grant');
    await grants.upsert('grant-4', { accountId: 'user-4' }, 60);
    await new Adapter('RefreshToken').upsert('rt-4', { grantId: 'grant-4' }, 60);

    const request = {};
    await readAhead(stores, request, 'RefreshToken', 'rt-4');
    current = request;
    expect(await grants.find('grant-4')).toMatchObject({ accountId: 'user-4' });
    expect(reads).toBe(1);
    // Taken once, and never after the grant is destroyed in the same request (reuse detection).
    await readAhead(stores, request, 'RefreshToken', 'rt-4');
    await grants.destroy('grant-4');
    expect(await grants.find('grant-4')).toBeUndefined();
    expect(reads).toBe(3);
  });

  it('reads codes from the short-lived store', async () => {
    const shortLived = countingStore();
    const stores = { durable: countingStore(), shortLived };
    const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS }, currentRequest);
    await new Adapter('AuthorizationCode').upsert('code-1', { grantId: 'grant-3' }, 60);
    expect(await readAhead(stores, {}, 'AuthorizationCode', 'code-1')).toMatchObject({ grantId: 'grant-3' });
    expect(shortLived.reads()).toBe(1);
  });
});
