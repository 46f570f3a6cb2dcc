import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/**
 * In production a tenant's webhook cannot reach internal addresses (the receiver here listens on
 * 127.0.0.1): the attempt is refused before anything is sent, and the delivery log says why.
 */
describe('webhooks in production: no internal addresses', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let gh: TestGatehouse;
  let api: AdminApi;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await ownDatabase();
    receiver = await startWebhookReceiver();
    gh = await startGatehouse({ NODE_ENV: 'production', DATABASE_URL: database.url, WEBHOOK_POLL_MS: '100' });
    api = adminApi(gh, await adminKey(gh));
  }, 60_000);
  afterAll(async () => {
    await gh?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('logs a refusal and sends nothing', async () => {
    const org = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `internal-${randomUUID().slice(0, 8)}`, name: 'Internal' },
    });
    const hook = await api.expect(201, `/organizations/${org.slug}/webhooks`, {
      method: 'POST',
      json: { url: receiver.url('/internal') },
    });
    await api.expect(201, `/organizations/${org.slug}/roles`, {
      method: 'POST',
      json: { name: 'reader', permissions: ['read'] },
    });
    const deliveries = async () =>
      (await api.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}/deliveries`)).data as Array<{
        error: string | null;
        status: number | null;
      }>;
    await eventually(async () => (await deliveries()).length > 0, 15_000, 'a delivery attempt');
    expect((await deliveries())[0]).toMatchObject({
      status: null,
      error: expect.stringContaining('internal address'),
    });
    expect(receiver.at('/internal')).toEqual([]);
  });
});
