import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_MS, retryDelayMs } from '../../../src/domain/webhooks/backoff.js';

describe('webhook retry backoff', () => {
  it('waits 5 s after the first failure and doubles after each next one', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
  });

  it('stops growing at an hour, however long the receiver stays down', () => {
    expect(retryDelayMs(10)).toBe(2_560_000);
    expect(retryDelayMs(11)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(12)).toBe(MAX_RETRY_MS);
    expect(retryDelayMs(10_000)).toBe(MAX_RETRY_MS);
  });

  it('has no wait before any failure', () => {
    expect(retryDelayMs(0)).toBe(0);
  });
});
