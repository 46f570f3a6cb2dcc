import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, type Json } from '../support/admin-api.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  eventually,
  signedBy,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

/**
 * The test: a webhook receiver (a real HTTP server) gets ordered events and survives a
 * restart of Gatehouse mid-delivery. Nothing lives in the process: the cursor is in the database.
 */
describe('webhooks across a restart of Gatehouse', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let receiver: WebhookReceiver;
  const running: TestGatehouse[] = [];
  const start = async () => {
    const gh = await startGatehouse({ DATABASE_URL: database.url, WEBHOOK_POLL_MS: '100' });
    running.push(gh);
    return gh;
  };

  beforeAll(async () => {
    database = await ownDatabase();
    receiver = await startWebhookReceiver();
  }, 60_000);
  afterAll(async () => {
    for (const gh of running) await gh.stop();
    await receiver.close();
    await database.drop();
  });

  it('delivers everything, in order, after a stop in the middle of a delivery', async () => {
    const first = await start();
    const api = adminApi(first, await adminKey(first));
    const org = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `restart-${randomUUID().slice(0, 8)}`, name: 'Restart' },
    });
    const hook = await api.expect(201, `/organizations/${org.slug}/webhooks`, {
      method: 'POST',
      json: { url: receiver.url('/restart') },
    });
    // The receiver takes the first event and never answers: Gatehouse is stopped while it waits.
    receiver.answer('/restart', (_receipt, earlier) => (earlier === 0 ? 'hold' : 204));
    for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) {
      await api.expect(201, `/organizations/${org.slug}/roles`, { method: 'POST', json: { name } });
    }
    await eventually(() => receiver.holding(), 10_000, 'the first delivery to be in flight');
    await first.stop();
    running.splice(running.indexOf(first), 1);
    await eventually(() => !receiver.holding(), 5_000, 'the stopped Gatehouse to hang up');

    const second = await start();
    await eventually(
      () => receiver.at('/restart').filter((receipt) => receipt.status === 204).length === 5,
      15_000,
      'every event after the restart',
    );
    const receipts = receiver.at('/restart');
    // At least once: the event in flight at the stop comes again, then the rest follow in order.
    expect(receipts.map((receipt) => receipt.event.sequence)).toEqual([1, 1, 2, 3, 4, 5]);
    expect(receipts.slice(1).map((receipt) => receipt.event.data.name)).toEqual([
      'r1',
      'r2',
      'r3',
      'r4',
      'r5',
    ]);
    expect(receipts[0]?.event.id).toBe(receipts[1]?.event.id);
    for (const receipt of receipts) expect(signedBy(hook.secret, receipt)).toBe(true);

    const secondApi = adminApi(second, await adminKey(second));
    await eventually(
      async () =>
        (await secondApi.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}`)).delivered_through ===
        5,
    );
    const log = await secondApi.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}/deliveries`);
    const attempts = (log.data as Json[]).reverse().map((row) => [row.sequence, row.status, row.error]);
    expect(attempts).toEqual([
      [1, null, 'aborted: Gatehouse was shutting down'],
      [1, 204, null],
      [2, 204, null],
      [3, 204, null],
      [4, 204, null],
      [5, 204, null],
    ]);
  }, 60_000);
});
