import { describe, expect, it } from '@jest/globals';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import type { EphemeralStore } from '../../../src/domain/ports/ephemeral-store.js';
import { createBatchedCounter } from '../../../src/http/middleware/batched-counter.js';
import { sleep } from '../../support/clock.js';

function countingStore(): EphemeralStore & { writes: number } {
  const inner = createMemoryEphemeralStore();
  const store = {
    ...inner,
    writes: 0,
    hit(key: string, windowSeconds: number, amount?: number) {
      store.writes += 1;
      return inner.hit(key, windowSeconds, amount);
    },
  };
  return store;
}

// A clock that stays mid-window, so a real minute boundary during the test cannot reset counts.
const midWindow = () => 1_800_000_030_000;

describe('batched rate-limit counter', () => {
  const fail = (error: unknown) => {
    throw error;
  };

  it('counts locally at once and writes the store once per batch', async () => {
    const store = countingStore();
    const counter = createBatchedCounter(store, 'test', midWindow);
    const estimates = Array.from({ length: 50 }, () => counter.add('1.2.3.4', fail));
    expect(estimates).toEqual(Array.from({ length: 50 }, (_, index) => index + 1));
    expect(store.writes).toBe(0);
    await sleep(250);
    expect(store.writes).toBe(1);
    expect(counter.add('1.2.3.4', fail)).toBe(51);
  });

  it('sees what other instances counted once their batches are in', async () => {
    const store = countingStore();
    const a = createBatchedCounter(store, 'shared', midWindow);
    const b = createBatchedCounter(store, 'shared', midWindow);
    for (let hit = 0; hit < 30; hit += 1) a.add('5.6.7.8', fail);
    for (let hit = 0; hit < 20; hit += 1) b.add('5.6.7.8', fail);
    await sleep(250);
    // b's next hit is sent with the batch, and the store's total comes back to b.
    b.add('5.6.7.8', fail);
    await sleep(250);
    expect(b.add('5.6.7.8', fail)).toBe(52);
    expect(a.add('other-key', fail)).toBe(1);
  });
});
