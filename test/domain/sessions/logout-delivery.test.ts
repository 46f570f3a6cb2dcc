import { describe, expect, it } from '@jest/globals';
import { createMemoryLogoutQueue } from '../../../src/data/memory/session-logout-queue.js';
import type { BackchannelLogout } from '../../../src/domain/ports/sessions.js';
import { createLogoutDelivery, type SendLogout } from '../../../src/domain/sessions/logout-delivery.js';
import { FIRST_RETRY_MS, retryDelayMs } from '../../../src/domain/webhooks/backoff.js';
import { manualClock } from '../../support/clock.js';

const silent = { info: () => {}, warn: () => {} };

function delivery(send: SendLogout, maxAttempts?: number) {
  const clock = manualClock(Date.parse('2026-03-02T09:00:00Z'));
  const sent: BackchannelLogout[] = [];
  const worker = createLogoutDelivery({
    queue: createMemoryLogoutQueue(),
    send: async (logout) => {
      sent.push(logout);
      return send(logout);
    },
    now: () => new Date(clock.now()),
    log: silent,
    pollMs: 1000,
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  return { worker, clock, sent };
}

describe('back-channel logout delivery', () => {
  it('sends a queued logout once it lands', async () => {
    const { worker, sent } = delivery(async () => 'sent');
    await worker.notify([{ clientId: 'app', accountId: 'usr_1', sid: 'sid-1' }]);
    expect(await worker.runOnce()).toBe(1);
    expect(sent).toEqual([expect.objectContaining({ clientId: 'app', sid: 'sid-1', attempts: 0 })]);
    expect(await worker.runOnce()).toBe(0);
  });

  it('retries a failed attempt on the webhook backoff until it lands', async () => {
    let answers = 0;
    const { worker, clock, sent } = delivery(async () => {
      answers += 1;
      if (answers < 3) throw new Error('answered 500');
      return 'sent';
    });
    await worker.notify([{ clientId: 'app', accountId: 'usr_1', sid: 'sid-1' }]);
    await worker.runOnce();
    expect(await worker.runOnce()).toBe(0);
    clock.advance(FIRST_RETRY_MS);
    expect(await worker.runOnce()).toBe(1);
    clock.advance(retryDelayMs(2));
    expect(await worker.runOnce()).toBe(1);
    expect(sent.map((logout) => logout.attempts)).toEqual([0, 1, 2]);
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
  });

  it('gives up after the last attempt', async () => {
    const { worker, clock, sent } = delivery(async () => {
      throw new Error('no answer');
    }, 2);
    await worker.notify([{ clientId: 'app', accountId: 'usr_1', sid: null }]);
    await worker.runOnce();
    clock.advance(FIRST_RETRY_MS);
    await worker.runOnce();
    clock.advance(3_600_000);
    expect(await worker.runOnce()).toBe(0);
    expect(sent).toHaveLength(2);
  });

  it('queues the retry of a first attempt made elsewhere for after the first delay', async () => {
    const { worker, clock, sent } = delivery(async () => 'sent');
    await worker.retry({ clientId: 'app', accountId: 'usr_1', sid: 'sid-1' });
    expect(await worker.runOnce()).toBe(0);
    clock.advance(FIRST_RETRY_MS);
    expect(await worker.runOnce()).toBe(1);
    expect(sent[0]).toMatchObject({ attempts: 1 });
  });
});
