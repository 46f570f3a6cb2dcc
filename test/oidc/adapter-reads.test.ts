import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createMemoryPayloadStore } from '../../src/data/memory/payload-store.js';
import type { PayloadStore } from '../../src/domain/ports/payload-store.js';
import { createAdapterClass, readAhead } from '../../src/oidc/adapter.js';
import { withRequestScope } from '../../src/lib/request-scope.js';

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

describe('reads through the adapter (oidc/adapter.ts): ahead of the token endpoint, once per request', () => {
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

  /** An adapter class over counting stores, for models kept in the short-lived one. */
  function shortLivedAdapter() {
    const shortLived = countingStore();
    const stores = { durable: countingStore(), shortLived };
    const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS }, currentRequest);
    return { stores, shortLived, Adapter };
  }

  it('reads codes from the short-lived store', async () => {
    const { stores, shortLived, Adapter } = shortLivedAdapter();
    await new Adapter('AuthorizationCode').upsert('code-1', { grantId: 'grant-3' }, 60);
    expect(await readAhead(stores, {}, 'AuthorizationCode', 'code-1')).toMatchObject({ grantId: 'grant-3' });
    expect(shortLived.reads()).toBe(1);
  });

  it('reads a code’s grant right after the code where the grants’ store reads ahead', async () => {
    const shortLived = countingStore();
    const grantStore = createMemoryPayloadStore();
    const aheadReads: string[] = [];
    const durable: PayloadStore = {
      ...grantStore,
      async findGrantAhead(grantId) {
        aheadReads.push(grantId);
        return grantStore.find('Grant', grantId);
      },
    };
    const stores = { durable, shortLived };
    const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS }, currentRequest);
    const grants = new Adapter('Grant');
    await grants.upsert('grant-5', { accountId: 'user-5' }, 60);
    await new Adapter('AuthorizationCode').upsert('code-5', { grantId: 'grant-5' }, 60);

    const request = {};
    await readAhead(stores, request, 'AuthorizationCode', 'code-5');
    expect(aheadReads).toEqual(['grant-5']);
    current = request;
    const find = jest.spyOn(durable, 'find');
    expect(await grants.find('grant-5')).toMatchObject({ accountId: 'user-5' });
    expect(aheadReads).toEqual(['grant-5']);
    // Taken once: the provider's next read of a grant in a request reads ahead again (what it
    // asks next about the grant comes along); outside a request it is a plain read.
    expect(await grants.find('grant-5')).toMatchObject({ accountId: 'user-5' });
    expect(aheadReads).toEqual(['grant-5', 'grant-5']);
    expect(find).not.toHaveBeenCalled();
    current = undefined;
    expect(await grants.find('grant-5')).toMatchObject({ accountId: 'user-5' });
    expect(find).toHaveBeenCalledTimes(1);
  });

  it('reads an interaction once per request until the adapter writes it, each reader its own copy', async () => {
    const { shortLived, Adapter } = shortLivedAdapter();
    const interactions = new Adapter('Interaction');
    await interactions.upsert(
      'int-1',
      { uid: 'int-1', prompt: { name: 'login', reasons: [], details: {} } },
      60,
    );

    await withRequestScope(async () => {
      const first = await interactions.find('int-1');
      const second = await interactions.find('int-1');
      expect(shortLived.reads()).toBe(1);
      expect(second).toEqual(first);
      expect(second).not.toBe(first);
      (first as { prompt: { name: string } }).prompt.name = 'changed by one reader';
      expect(await interactions.find('int-1')).toMatchObject({ prompt: { name: 'login' } });

      await interactions.upsert(
        'int-1',
        { uid: 'int-1', prompt: { name: 'consent', reasons: [], details: {} } },
        60,
      );
      expect(await interactions.find('int-1')).toMatchObject({ prompt: { name: 'consent' } });
      expect(shortLived.reads()).toBe(2);
      await interactions.destroy('int-1');
      expect(await interactions.find('int-1')).toBeUndefined();
    });
    // Another request (and anything outside one) reads the store.
    await withRequestScope(() => interactions.find('int-1'));
    await interactions.find('int-1');
    expect(shortLived.reads()).toBe(5);
  });

  it('reads other models every time, in a request too', async () => {
    const { shortLived, Adapter } = shortLivedAdapter();
    const sessions = new Adapter('Session');
    await sessions.upsert('sess-1', { uid: 'u-1' }, 60);
    await withRequestScope(async () => {
      await sessions.find('sess-1');
      await sessions.find('sess-1');
    });
    expect(shortLived.reads()).toBe(2);
  });
});
