import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EphemeralStore } from '../../src/domain/ports/ephemeral-store.js';

export interface EphemeralStoreSubject {
  store: EphemeralStore;
  /** A manual clock for in-process stores, a real wait for Redis TTLs. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Rate limits and replay caches depend on exactly these semantics, whatever the backend. */
export function describeEphemeralStoreContract(
  name: string,
  open: () => Promise<EphemeralStoreSubject>,
): void {
  describe(`EphemeralStore contract: ${name}`, () => {
    let subject: EphemeralStoreSubject;
    let store: EphemeralStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.close();
    });
    const key = () => `test:${randomUUID()}`;

    it('hit counts per key within a fixed window, then starts over', async () => {
      const [k, other] = [key(), key()];
      expect(await store.hit(k, 1)).toBe(1);
      expect(await store.hit(k, 1)).toBe(2);
      expect(await store.hit(k, 1)).toBe(3);
      expect(await store.hit(other, 1)).toBe(1);
      await subject.advance(1100);
      expect(await store.hit(k, 1)).toBe(1);
    });

    it('hit does not extend the window on later hits', async () => {
      const k = key();
      expect(await store.hit(k, 2)).toBe(1);
      await subject.advance(1200);
      expect(await store.hit(k, 2)).toBe(2);
      await subject.advance(1000);
      // 2.2 s after the first hit: a sliding deadline would still hold the count.
      expect(await store.hit(k, 2)).toBe(1);
    });

    it('hit gives every concurrent caller a distinct count', async () => {
      const k = key();
      const counts = await Promise.all(Array.from({ length: 20 }, () => store.hit(k, 30)));
      expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    });

    it('hit adds a batch at once when given an amount', async () => {
      const k = key();
      expect(await store.hit(k, 30, 5)).toBe(5);
      expect(await store.hit(k, 30)).toBe(6);
      expect(await store.hit(k, 30, 10)).toBe(16);
    });

    it('putIfAbsent stores once, until the TTL passes', async () => {
      const k = key();
      expect(await store.putIfAbsent(k, 'first', 1)).toBe(true);
      expect(await store.putIfAbsent(k, 'second', 1)).toBe(false);
      expect(await store.get(k)).toBe('first');
      await subject.advance(1100);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.putIfAbsent(k, 'third', 30)).toBe(true);
      expect(await store.get(k)).toBe('third');
    });

    it('putIfAbsent lets exactly one of many concurrent callers win', async () => {
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.putIfAbsent(k, `v${i}`, 30)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('put overwrites a value and replaces its TTL', async () => {
      const k = key();
      await store.put(k, 'absent-before', 1);
      expect(await store.get(k)).toBe('absent-before');
      await store.put(k, 'pending', 1);
      await store.put(k, 'done', 30);
      await subject.advance(1100);
      // The first TTL (1 s) would have expired it: put replaced the deadline too.
      expect(await store.get(k)).toBe('done');
      await store.put(k, 'short', 1);
      await subject.advance(1100);
      expect(await store.get(k)).toBeUndefined();
    });

    it('take returns the value once and deletes it', async () => {
      const k = key();
      await store.putIfAbsent(k, 'code-state', 30);
      expect(await store.take(k)).toBe('code-state');
      expect(await store.take(k)).toBeUndefined();
      expect(await store.get(k)).toBeUndefined();
      expect(await store.take(key())).toBeUndefined();
    });

    it('delete removes a value, and missing keys read as undefined', async () => {
      const k = key();
      await store.putIfAbsent(k, 'x', 30);
      await store.delete(k);
      expect(await store.get(k)).toBeUndefined();
      await expect(store.delete(k)).resolves.toBeUndefined();
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
