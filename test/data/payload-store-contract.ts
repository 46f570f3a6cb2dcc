import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PayloadStore } from '../../src/domain/ports/payload-store.js';
import { DATABASE_OPEN_TIMEOUT_MS } from '../support/suite-database.js';

export interface PayloadStoreSubject {
  store: PayloadStore;
  /** Whether the store rotates a token in one step (upsertConsuming): the durable SQL one does. */
  rotates?: boolean;
  /** Moves time forward for the store: a manual clock, or a real wait for server-side TTLs. */
  advance(ms: number): Promise<void>;
  /** The store's idea of now, in ms. */
  now(): number;
  close(): Promise<void>;
}

/** The behaviour oidc-provider relies on, asserted identically for every PayloadStore. */
export function describePayloadStoreContract(name: string, open: () => Promise<PayloadStoreSubject>): void {
  describe(`PayloadStore contract: ${name}`, () => {
    let subject: PayloadStoreSubject;
    let store: PayloadStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    }, DATABASE_OPEN_TIMEOUT_MS);
    afterAll(async () => {
      await subject?.close();
    });
    const id = () => randomUUID();

    it('returns what was stored, JSON intact, and undefined for what was not', async () => {
      const key = id();
      const payload = {
        accountId: 'user-1',
        nested: { list: [1, 'two', { three: true }], nothing: null },
        unicode: 'Zoë ✓',
        exp: 1_900_000_000,
      };
      await store.upsert('Session', key, payload, 60);
      expect(await store.find('Session', key)).toEqual(payload);
      expect(await store.find('Session', id())).toBeUndefined();
      expect(await store.find('Interaction', key)).toBeUndefined();
    });

    it('replaces the payload on a second upsert', async () => {
      const key = id();
      await store.upsert('Session', key, { v: 1, old: 'x' }, 60);
      await store.upsert('Session', key, { v: 2 }, 60);
      expect(await store.find('Session', key)).toEqual({ v: 2 });
    });

    it('finds by uid and by user code within the model only', async () => {
      const key = id();
      const uid = id();
      const userCode = `UC-${id()}`;
      await store.upsert('Session', key, { uid, marker: 's' }, 60);
      await store.upsert('DeviceCode', key, { userCode, marker: 'd' }, 60);
      expect(await store.findByUid('Session', uid)).toEqual({ uid, marker: 's' });
      expect(await store.findByUserCode('DeviceCode', userCode)).toEqual({ userCode, marker: 'd' });
      expect(await store.findByUid('Interaction', uid)).toBeUndefined();
      expect(await store.findByUserCode('DeviceCode', 'UC-missing')).toBeUndefined();
      expect(await store.findByUid('Session', id())).toBeUndefined();
    });

    it('forgets the old uid when an upsert changes it', async () => {
      const key = id();
      const [first, second] = [id(), id()];
      await store.upsert('Session', key, { uid: first }, 60);
      await store.upsert('Session', key, { uid: second }, 60);
      expect(await store.findByUid('Session', first)).toBeUndefined();
      expect(await store.findByUid('Session', second)).toEqual({ uid: second });
    });

    it('hides payloads once expiresIn has passed, also from uid and user-code lookups', async () => {
      const [short, forever] = [id(), id()];
      const uid = id();
      const userCode = `UC-${id()}`;
      await store.upsert('DeviceCode', short, { uid, userCode }, 1);
      await store.upsert('DeviceCode', forever, { kept: true });
      expect(await store.find('DeviceCode', short)).toBeDefined();
      await subject.advance(1100);
      expect(await store.find('DeviceCode', short)).toBeUndefined();
      expect(await store.findByUid('DeviceCode', uid)).toBeUndefined();
      expect(await store.findByUserCode('DeviceCode', userCode)).toBeUndefined();
      expect(await store.find('DeviceCode', forever)).toEqual({ kept: true });
    });

    it('consume stamps `consumed` with the current epoch second and keeps the rest', async () => {
      const [key, uid] = [id(), id()];
      await store.upsert('AuthorizationCode', key, { grantId: 'g', scope: 'openid', uid }, 60);
      expect((await store.find('AuthorizationCode', key))?.consumed).toBeUndefined();
      expect((await store.findByUid('AuthorizationCode', uid))?.consumed).toBeUndefined();
      const before = Math.floor(subject.now() / 1000);
      expect(await store.consume('AuthorizationCode', key)).toBe(true);
      const after = Math.floor(subject.now() / 1000);
      const found = await store.find('AuthorizationCode', key);
      expect(found).toMatchObject({ grantId: 'g', scope: 'openid' });
      expect(typeof found?.consumed).toBe('number');
      expect(found?.consumed).toBeGreaterThanOrEqual(before);
      expect(found?.consumed).toBeLessThanOrEqual(after);
      expect(await store.findByUid('AuthorizationCode', uid)).toEqual(found);
    });

    it('consume does not bring a missing payload into existence', async () => {
      const key = id();
      expect(await store.consume('AuthorizationCode', key)).toBe(false);
      expect(await store.find('AuthorizationCode', key)).toBeUndefined();
    });

    it('consume answers true once: of several at once exactly one consumes, the first stamp stays', async () => {
      const key = id();
      await store.upsert('RefreshToken', key, { grantId: 'g' }, 60);
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => store.consume('RefreshToken', key)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const { consumed } = (await store.find('RefreshToken', key))!;
      expect(await store.consume('RefreshToken', key)).toBe(false);
      expect((await store.find('RefreshToken', key))?.consumed).toBe(consumed);
    });

    it('rotates in one step where it does: the successor only if the old token was unused, once', async () => {
      const { upsertConsuming } = store;
      if (!subject.rotates) return expect(upsertConsuming).toBeUndefined();
      if (!upsertConsuming) throw new Error('the store does not rotate in one step');
      const rotate = (old: string, next: string) =>
        upsertConsuming.call(store, 'RefreshToken', old, next, { grantId: 'g', rotations: 1 }, 60);
      const [old, next] = [id(), id()];
      await store.upsert('RefreshToken', old, { grantId: 'g' }, 60);
      expect(await rotate(old, next)).toBe(true);
      expect(await store.find('RefreshToken', next)).toEqual({ grantId: 'g', rotations: 1 });
      expect((await store.find('RefreshToken', old))?.consumed).toEqual(expect.any(Number));
      // Consumed already, or missing: nothing is written.
      const [again, missing] = [id(), id()];
      expect(await rotate(old, again)).toBe(false);
      expect(await rotate(id(), missing)).toBe(false);
      expect(await store.find('RefreshToken', again)).toBeUndefined();
      expect(await store.find('RefreshToken', missing)).toBeUndefined();
      // Of several rotations of one token at once, exactly one goes through.
      const racing = id();
      await store.upsert('RefreshToken', racing, { grantId: 'g' }, 60);
      const successors = Array.from({ length: 5 }, () => id());
      const outcomes = await Promise.all(successors.map((successor) => rotate(racing, successor)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const saved = await Promise.all(successors.map((successor) => store.find('RefreshToken', successor)));
      expect(saved.filter(Boolean)).toHaveLength(1);
    });

    it('destroy removes the payload and its uid lookup', async () => {
      const [key, uid] = [id(), id()];
      await store.upsert('Session', key, { uid }, 60);
      await store.destroy('Session', key);
      expect(await store.find('Session', key)).toBeUndefined();
      expect(await store.findByUid('Session', uid)).toBeUndefined();
      await expect(store.destroy('Session', key)).resolves.toBeUndefined();
    });

    it('revokeByGrantId removes exactly that grant’s payloads of that model', async () => {
      const [grant, otherGrant] = [id(), id()];
      const [a, b, c, d, e] = [id(), id(), id(), id(), id()];
      await store.upsert('AccessToken', a, { grantId: grant }, 60);
      await store.upsert('AccessToken', b, { grantId: grant }, 120);
      await store.upsert('AccessToken', c, { grantId: otherGrant }, 60);
      await store.upsert('RefreshToken', d, { grantId: grant }, 60);
      await store.upsert('AccessToken', e, { note: 'no grant' }, 60);
      await store.revokeByGrantId('AccessToken', grant);
      expect(await store.find('AccessToken', a)).toBeUndefined();
      expect(await store.find('AccessToken', b)).toBeUndefined();
      expect(await store.find('AccessToken', c)).toEqual({ grantId: otherGrant });
      expect(await store.find('RefreshToken', d)).toEqual({ grantId: grant });
      expect(await store.find('AccessToken', e)).toEqual({ note: 'no grant' });
    });

    it('findWithGrant, where offered, reads a token with its live grant, each as find would', async () => {
      if (!store.findWithGrant) return;
      const [grantId, token, orphan] = [id(), id(), id()];
      const grant = { accountId: 'user-1', openid: { scope: 'openid' } };
      await store.upsert('Grant', grantId, grant, 60);
      await store.upsert('RefreshToken', token, { grantId, accountId: 'user-1' }, 120);
      await store.upsert('RefreshToken', orphan, { grantId: id() }, 120);
      expect(await store.findWithGrant('RefreshToken', token)).toEqual({
        payload: { grantId, accountId: 'user-1' },
        grant,
      });
      expect(await store.findWithGrant('RefreshToken', orphan)).toEqual({
        payload: { grantId: expect.any(String) },
        grant: undefined,
      });
      expect(await store.findWithGrant('RefreshToken', id())).toEqual({
        payload: undefined,
        grant: undefined,
      });
      // The grant expires first: the token still reads, its grant no longer does; then neither.
      await subject.advance(61_000);
      expect(await store.findWithGrant('RefreshToken', token)).toEqual({
        payload: { grantId, accountId: 'user-1' },
        grant: undefined,
      });
      await subject.advance(60_000);
      expect(await store.findWithGrant('RefreshToken', token)).toEqual({
        payload: undefined,
        grant: undefined,
      });
    });

    it('revokeByGrantId also reaches payloads stored without expiry', async () => {
      const grant = id();
      const [key, uid] = [id(), id()];
      await store.upsert('Grant', key, { grantId: grant, uid });
      await store.upsert('Grant', id(), { grantId: grant }, 30);
      await store.revokeByGrantId('Grant', grant);
      expect(await store.find('Grant', key)).toBeUndefined();
      expect(await store.findByUid('Grant', uid)).toBeUndefined();
    });
  });
}
