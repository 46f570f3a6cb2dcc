import { afterEach, describe, expect, it } from '@jest/globals';
import { createMemoryPayloadStore } from '../../src/data/memory/payload-store.js';
import type { PayloadStore } from '../../src/domain/ports/payload-store.js';
import { createAdapterClass } from '../../src/oidc/adapter.js';
import { settleDeferredConsume } from '../../src/oidc/refresh-rotation.js';

/** A memory store that rotates in one step, as the SQL store does, and logs its writes. */
function rotatingStore(): PayloadStore & { writes: string[] } {
  const store = createMemoryPayloadStore();
  const writes: string[] = [];
  return {
    ...store,
    writes,
    consume: (model, id) => {
      writes.push(`consume ${id}`);
      return store.consume(model, id);
    },
    upsert: (model, id, payload, expiresIn) => {
      writes.push(`upsert ${id}`);
      return store.upsert(model, id, payload, expiresIn);
    },
    async upsertConsuming(model, consumedId, id, payload, expiresIn) {
      writes.push(`rotate ${consumedId} -> ${id}`);
      if (!(await store.consume(model, consumedId))) return false;
      await store.upsert(model, id, payload, expiresIn);
      return true;
    },
  };
}

const NO_CLIENTS = { providerMetadata: async () => undefined } as never;

describe('refresh token rotation through the adapter (oidc/adapter.ts)', () => {
  let current: object | undefined;
  afterEach(() => {
    current = undefined;
  });

  function adapters() {
    const durable = rotatingStore();
    const Adapter = createAdapterClass(
      { durable, shortLived: createMemoryPayloadStore(), clients: NO_CLIENTS },
      () => current,
    );
    return { durable, refreshTokens: new Adapter('RefreshToken') };
  }

  it('consumes the old token and saves its successor in one write within a request', async () => {
    const { durable, refreshTokens } = adapters();
    await refreshTokens.upsert('rt-old', { grantId: 'grant-1' }, 60);
    current = {};
    await refreshTokens.consume('rt-old');
    await refreshTokens.upsert('rt-new', { grantId: 'grant-1' }, 60);
    expect(durable.writes).toEqual(['upsert rt-old', 'rotate rt-old -> rt-new']);
    expect(await refreshTokens.find('rt-old')).toMatchObject({ consumed: expect.any(Number) });
    expect(await refreshTokens.find('rt-new')).toMatchObject({ grantId: 'grant-1' });
  });

  it('refuses the rotation of a token another request used meanwhile, and revokes the grant', async () => {
    const { durable, refreshTokens } = adapters();
    await refreshTokens.upsert('rt-raced', { grantId: 'grant-2' }, 60);
    await refreshTokens.upsert('rt-sibling', { grantId: 'grant-2' }, 60);
    current = {};
    await refreshTokens.consume('rt-raced');
    await durable.consume('RefreshToken', 'rt-raced');
    await expect(refreshTokens.upsert('rt-next', { grantId: 'grant-2' }, 60)).rejects.toMatchObject({
      error: 'invalid_grant',
      error_detail: 'refresh token already used',
    });
    expect(await refreshTokens.find('rt-next')).toBeUndefined();
    expect(await refreshTokens.find('rt-sibling')).toBeUndefined();
  });

  it('consumes a token whose successor was never saved when the request settles', async () => {
    const { durable, refreshTokens } = adapters();
    await refreshTokens.upsert('rt-failed', { grantId: 'grant-3' }, 60);
    const request = {};
    current = request;
    await refreshTokens.consume('rt-failed');
    expect(await durable.find('RefreshToken', 'rt-failed')).not.toHaveProperty('consumed');
    await settleDeferredConsume(request);
    expect(await durable.find('RefreshToken', 'rt-failed')).toMatchObject({ consumed: expect.any(Number) });
    // Settled once: nothing is left to consume, and a later save is a plain one.
    await settleDeferredConsume(request);
    await refreshTokens.upsert('rt-later', { grantId: 'grant-3' }, 60);
    expect(durable.writes).toEqual(['upsert rt-failed', 'consume rt-failed', 'upsert rt-later']);
  });

  it('consumes at once outside a request (no save to join)', async () => {
    const { durable, refreshTokens } = adapters();
    await refreshTokens.upsert('rt-cli', { grantId: 'grant-4' }, 60);
    await refreshTokens.consume('rt-cli');
    expect(durable.writes).toEqual(['upsert rt-cli', 'consume rt-cli']);
  });
});
