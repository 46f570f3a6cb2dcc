import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  eventually,
  signedBy,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../support/webhook-receiver.js';

/**
 * Webhooks against a real HTTP receiver. A database of its own: every Gatehouse on a database
 * delivers all of its endpoints, so other suites' servers stay out of these.
 */
describe('webhooks: signed, ordered, retried, replayed', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let gh: TestGatehouse;
  let api: AdminApi;
  let receiver: WebhookReceiver;
  const unique = () => randomUUID().slice(0, 8);
  const organization = () =>
    api.expect(201, '/organizations', { method: 'POST', json: { slug: `hooks-${unique()}`, name: 'Hooks' } });
  const addWebhook = (org: Json, path: string, json: Record<string, unknown> = {}) =>
    api.expect(201, `/organizations/${org.slug}/webhooks`, {
      method: 'POST',
      json: { url: receiver.url(path), ...json },
    });
  const addRole = (org: Json, name: string) =>
    api.expect(201, `/organizations/${org.slug}/roles`, {
      method: 'POST',
      json: { name, permissions: ['read'] },
    });
  const sequencesAt = (path: string) => receiver.at(path).map((receipt) => receipt.event.sequence);
  const acknowledgedAt = (path: string) =>
    receiver
      .at(path)
      .filter((receipt) => receipt.status === 204 || receipt.status === 200)
      .map((receipt) => receipt.event.sequence);

  beforeAll(async () => {
    database = await ownDatabase();
    receiver = await startWebhookReceiver();
    gh = await startGatehouse({ DATABASE_URL: database.url, WEBHOOK_POLL_MS: '100' });
    api = adminApi(gh, await adminKey(gh));
  }, 60_000);
  afterAll(async () => {
    await gh.stop();
    await receiver.close();
    await database.drop();
  });

  it('pushes every change, signed and in sequence order, from the moment the webhook exists', async () => {
    const org = await organization();
    await addRole(org, 'before-the-webhook');
    const created = await addWebhook(org, '/ordered');
    expect(created).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      organization_id: org.id,
      url: receiver.url('/ordered'),
      event_types: [],
      enabled: true,
      delivered_through: 1,
      failures: 0,
      secret: expect.stringMatching(/^whsec_/),
    });
    const shown = await api.expect(200, `/organizations/${org.slug}/webhooks/${created.id}`);
    expect(shown).not.toHaveProperty('secret');
    expect(JSON.stringify(await api.expect(200, `/organizations/${org.slug}/webhooks`))).not.toContain(
      created.secret,
    );

    await addRole(org, 'viewer');
    const user = await api.expect(201, '/users', {
      method: 'POST',
      json: { email: `hook-${unique()}@example.test`, organization: org.slug, roles: ['viewer'] },
    });
    await api.expect(200, `/organizations/${org.slug}/memberships/${user.id}`, {
      method: 'PATCH',
      json: { status: 'suspended' },
    });
    await eventually(() => receiver.at('/ordered').length >= 4, 15_000, 'four deliveries');

    const receipts = receiver.at('/ordered');
    expect(receipts.map((receipt) => [receipt.event.sequence, receipt.event.type])).toEqual([
      [2, 'role.created'],
      [3, 'user.created'],
      [4, 'membership.created'],
      [5, 'membership.updated'],
    ]);
    for (const receipt of receipts) {
      expect(signedBy(created.secret, receipt)).toBe(true);
      expect(signedBy('whsec_someone-else', receipt)).toBe(false);
      expect(receipt.headers['content-type']).toBe('application/json');
      expect(receipt.headers['gatehouse-event-id']).toBe(receipt.event.id);
    }
    // The body is the event exactly as the cursor API shows it.
    const byCursor = await api.expect(200, `/events?organization=${org.id}&after=1`);
    expect(receipts.map((receipt) => JSON.parse(receipt.body))).toEqual(byCursor.data);

    await eventually(
      async () =>
        (await api.expect(200, `/organizations/${org.slug}/webhooks/${created.id}`)).delivered_through === 5,
    );
    const log = await api.expect(200, `/organizations/${org.slug}/webhooks/${created.id}/deliveries`);
    expect(log.data.map((row: Json) => [row.sequence, row.attempt, row.status])).toEqual([
      [5, 1, 204],
      [4, 1, 204],
      [3, 1, 204],
      [2, 1, 204],
    ]);
  });

  it('sends only the subscribed types, and keeps what happens while disabled for when it is enabled', async () => {
    const org = await organization();
    const hook = await addWebhook(org, '/roles-only', { event_types: ['role.created'] });
    await addRole(org, 'first');
    await api.expect(201, '/users', {
      method: 'POST',
      json: { email: `t-${unique()}@example.test`, organization: org.slug },
    });
    await eventually(() => receiver.at('/roles-only').length === 1);
    await api.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}`, {
      method: 'PATCH',
      json: { enabled: false },
    });
    await addRole(org, 'while-disabled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.at('/roles-only')).toHaveLength(1);
    await api.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}`, {
      method: 'PATCH',
      json: { enabled: true },
    });
    await eventually(() => receiver.at('/roles-only').length === 2);
    expect(receiver.at('/roles-only').map((receipt) => receipt.event.data.name)).toEqual([
      'first',
      'while-disabled',
    ]);
  });

  it('retries a receiver that answers 500, keeps the order, and logs every attempt', async () => {
    const org = await organization();
    const hook = await addWebhook(org, '/flaky');
    receiver.answer('/flaky', (_receipt, earlier) => (earlier === 0 ? 500 : 204));
    await addRole(org, 'one');
    await addRole(org, 'two');
    // The first failure rests the endpoint 5 s (backoff.ts).
    await eventually(() => acknowledgedAt('/flaky').length === 2, 20_000, 'the retry');
    expect(sequencesAt('/flaky')).toEqual([1, 1, 2]);
    expect(receiver.at('/flaky').map((receipt) => receipt.status)).toEqual([500, 204, 204]);
    const log = await api.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}/deliveries?limit=2`);
    expect(log.data.map((row: Json) => [row.sequence, row.attempt, row.status])).toEqual([
      [2, 1, 204],
      [1, 2, 204],
    ]);
    const older = await api.expect(
      200,
      `/organizations/${org.slug}/webhooks/${hook.id}/deliveries?cursor=${log.next_cursor}`,
    );
    expect(older.data).toEqual([
      expect.objectContaining({ sequence: 1, attempt: 1, status: 500, duration_ms: expect.any(Number) }),
    ]);
    expect(older.next_cursor).toBeNull();
  }, 30_000);

  it('replays from a cursor: every later event again, in order', async () => {
    const org = await organization();
    const hook = await addWebhook(org, '/replay');
    for (const name of ['a', 'b', 'c']) await addRole(org, name);
    await eventually(() => acknowledgedAt('/replay').length === 3);
    const replayed = await api.expect(200, `/organizations/${org.slug}/webhooks/${hook.id}/replay`, {
      method: 'POST',
      json: { after: 1 },
    });
    expect(replayed).toMatchObject({ delivered_through: 1, failures: 0, next_attempt_at: null });
    await eventually(() => acknowledgedAt('/replay').length === 5);
    expect(sequencesAt('/replay')).toEqual([1, 2, 3, 2, 3]);
    await expectProblem(
      await api.call(`/organizations/${org.slug}/webhooks/${hook.id}/replay`, {
        method: 'POST',
        json: { after: 4 },
      }),
      422,
      'invalid_replay_cursor',
    );
  });

  it('refuses URLs that are not http(s) and unknown event types', async () => {
    const org = await organization();
    const bad = (json: unknown) => api.call(`/organizations/${org.slug}/webhooks`, { method: 'POST', json });
    await expectProblem(await bad({ url: 'ftp://127.0.0.1/hook' }), 422, 'invalid_webhook_url');
    await expectProblem(await bad({ url: 'https://u:p@example.test/hook' }), 422, 'invalid_webhook_url');
    await expectProblem(await bad({ url: 'https://example.test', event_types: ['user.renamed'] }), 400);
    await expectProblem(await bad({ url: 'https://example.test', secret: 'mine' }), 400);
  });

  it('hides another organization’s webhooks from an organization key (404), and deletes its own', async () => {
    const [mine, theirs] = [await organization(), await organization()];
    const own = await addWebhook(mine, '/mine');
    const other = await addWebhook(theirs, '/theirs');
    const scoped = adminApi(gh, await adminKey(gh, mine.slug));
    const base = `/organizations/${theirs.slug}/webhooks`;
    await expectProblem(await scoped.call(base), 404, 'not_found');
    await expectProblem(await scoped.call(`${base}/${other.id}`), 404, 'not_found');
    await expectProblem(await scoped.call(`${base}/${other.id}/deliveries`), 404, 'not_found');
    await expectProblem(
      await scoped.call(`${base}/${other.id}/replay`, { method: 'POST', json: { after: 0 } }),
      404,
      'not_found',
    );
    await expectProblem(await scoped.call(`${base}/${other.id}`, { method: 'DELETE' }), 404, 'not_found');
    // Another organization's webhook through one's own organization path is just as absent.
    await expectProblem(
      await scoped.call(`/organizations/${mine.slug}/webhooks/${other.id}`),
      404,
      'not_found',
    );
    expect((await scoped.expect(200, `/organizations/${mine.slug}/webhooks`)).data).toEqual([
      expect.objectContaining({ id: own.id }),
    ]);
    await scoped.expect(204, `/organizations/${mine.slug}/webhooks/${own.id}`, { method: 'DELETE' });
    await expectProblem(
      await scoped.call(`/organizations/${mine.slug}/webhooks/${own.id}`),
      404,
      'not_found',
    );
    const audit = await gh.container.db.audit.list(
      { targetType: 'webhook', targetId: own.id },
      { limit: 10 },
    );
    expect(audit.map((record) => record.action)).toEqual(['webhook.create', 'webhook.delete']);
    expect(JSON.stringify(audit)).not.toContain(own.secret);
  });
});
