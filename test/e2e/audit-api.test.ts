import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, passwordFirstFactor, REDIRECT_URI } from '../support/relying-party.js';

const PASSWORD = 'correct horse battery';
const API = 'https://api.example.test/audit';

/** The audit log through the admin API: filters, pages, JSON lines, tenant scope, what records hold. */
describe('admin API: audit records', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  const unique = () => randomUUID().slice(0, 8);
  const post = (path: string, json: unknown) => api.expect(201, path, { method: 'POST', json });
  let parent: Json;
  let child: Json;
  let other: Json;
  let editor: Json;

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    parent = await post('/organizations', { slug: `audit-parent-${unique()}`, name: 'Parent' });
    child = await post('/organizations', {
      slug: `audit-child-${unique()}`,
      name: 'Child',
      parent: parent.slug,
    });
    other = await post('/organizations', { slug: `audit-other-${unique()}`, name: 'Other' });
    await post(`/organizations/${parent.slug}/roles`, { name: 'viewer', permissions: ['read'] });
    editor = await post(`/organizations/${parent.slug}/roles`, { name: 'editor', permissions: ['read'] });
    await api.expect(200, `/organizations/${parent.slug}/roles/viewer`, {
      method: 'PATCH',
      json: { permissions: ['read', 'list'] },
    });
    await post(`/organizations/${other.slug}/roles`, { name: 'viewer', permissions: ['read'] });
  });
  afterAll(() => gh.stop());

  const actionsOf = (page: Json) => (page.data as Json[]).map((record) => record.action as string);

  it("lists an organization's records oldest first, filtered by action, actor, target and time", async () => {
    const all = await api.expect(200, `/organizations/${parent.slug}/audit`);
    expect(actionsOf(all)).toEqual(['organization.create', 'role.create', 'role.create', 'role.update']);
    expect(all.next_cursor).toBeNull();
    const [first] = all.data as Json[];
    expect(first).toEqual({
      id: expect.stringMatching(/^\d+$/),
      organization_id: parent.id,
      seq: 1,
      at: expect.stringMatching(/Z$/),
      actor: { type: 'api_key', id: expect.stringMatching(/^key_/) },
      action: 'organization.create',
      target: { type: 'organization', id: parent.id },
      before: null,
      after: expect.objectContaining({ slug: parent.slug }),
    });

    const query = (params: Record<string, string>) =>
      api.expect(200, `/organizations/${parent.slug}/audit?${new URLSearchParams(params)}`);
    expect(actionsOf(await query({ action: 'role.*' }))).toEqual([
      'role.create',
      'role.create',
      'role.update',
    ]);
    expect(actionsOf(await query({ action: 'role.update' }))).toEqual(['role.update']);
    expect(actionsOf(await query({ target_type: 'role', target_id: editor.id }))).toEqual(['role.create']);
    expect(actionsOf(await query({ actor_type: 'api_key', actor_id: first!.actor.id }))).toHaveLength(4);
    expect(actionsOf(await query({ actor_type: 'cli' }))).toEqual([]);
    const last = (all.data as Json[]).at(-1)!;
    expect(actionsOf(await query({ from: last.at }))).toContain('role.update');
    expect(actionsOf(await query({ to: first!.at }))).toEqual([]);
    expect(
      actionsOf(await query({ from: '2000-01-01T00:00:00+02:00', to: '2999-01-01T00:00:00Z' })),
    ).toHaveLength(4);

    const page = await query({ limit: '3' });
    expect(actionsOf(page)).toHaveLength(3);
    const rest = await query({ limit: '3', cursor: page.next_cursor });
    expect(actionsOf(rest)).toEqual(['role.update']);
    expect(rest.next_cursor).toBeNull();
  });

  it('streams every matching record as JSON lines, by format or by Accept', async () => {
    const path = `/organizations/${parent.slug}/audit`;
    const byFormat = await api.call(`${path}?format=jsonl&limit=1`);
    expect(byFormat.status).toBe(200);
    expect(byFormat.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(byFormat.headers.get('cache-control')).toBe('no-store');
    const lines = (await byFormat.text()).split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((line) => JSON.parse(line) as Json);
    expect(records.map((record) => record.action)).toEqual([
      'organization.create',
      'role.create',
      'role.create',
      'role.update',
    ]);
    expect(records[0]).toEqual((await api.expect(200, `${path}?limit=1`)).data[0]);

    const byAccept = await api.call(`${path}?action=role.*`, { headers: { Accept: 'application/x-ndjson' } });
    expect(byAccept.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect((await byAccept.text()).trim().split('\n')).toHaveLength(3);
    const json = await api.call(path, { headers: { Accept: 'application/json' } });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('keeps a delegated admin to its subtree: another tenant is 404, the platform chain unseen', async () => {
    const delegated = adminApi(gh, await adminKey(gh, parent.slug));
    await expectProblem(await delegated.call(`/organizations/${other.slug}/audit`), 404, 'not_found');
    await expectProblem(
      await delegated.call(`/organizations/${other.slug}/audit?format=jsonl`),
      404,
      'not_found',
    );
    expect(actionsOf(await delegated.expect(200, `/organizations/${child.slug}/audit`))).toEqual([
      'organization.create',
    ]);
    const everything = await delegated.expect(200, '/audit?limit=200');
    const organizations = new Set((everything.data as Json[]).map((record) => record.organization_id));
    expect([...organizations].sort()).toEqual([child.id, parent.id].sort());
    const lines = await (await delegated.call('/audit?format=jsonl')).text();
    expect(lines).not.toContain(other.id);
  });

  it('answers malformed filters with problem details', async () => {
    const path = `/organizations/${parent.slug}/audit`;
    const yesterday = await expectProblem(await api.call(`${path}?from=yesterday`), 400, 'invalid_request');
    expect(yesterday.errors).toEqual([{ path: 'query.from', message: expect.any(String) }]);
    await expectProblem(await api.call(`${path}?action=log*in`), 400, 'invalid_request');
    await expectProblem(await api.call(`${path}?actor_type=robot`), 400, 'invalid_request');
    await expectProblem(await api.call(`${path}?colour=red`), 400, 'invalid_request');
    await expectProblem(await api.call(`${path}?format=xml`), 400, 'invalid_request');
    await expectProblem(await api.call(`${path}?cursor=forged`), 400, 'invalid_cursor');
    await expectProblem(await api.call(`${path}?cursor=forged&format=jsonl`), 400, 'invalid_cursor');
    const range = await api.call(`${path}?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(await expectProblem(range, 422, 'invalid_time_range')).toMatchObject({ field: 'to' });
    await expectProblem(await api.call('/organizations/no-such-org/audit'), 404, 'not_found');
  });

  it('records refused and finished sign-ins with their reason, and the tokens issued', async () => {
    const email = `audit-${unique()}@example.test`;
    const userId = await gh.addUser(email, PASSWORD);
    await post(`/organizations/${other.slug}/memberships`, { user_id: userId, roles: ['viewer'] });
    const clientId = `audit-app-${unique()}`;
    await gh.addClient({
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'organization'],
    });
    const config = await discover(gh.issuer, clientId);

    const scope = { scope: 'openid organization' };
    const wrong = await passwordFirstFactor(config, new FormBrowser(), email, 'not the password', scope);
    expect(wrong.page.status).toBe(401);
    const nobody = `nobody-${unique()}@example.test`;
    await passwordFirstFactor(config, new FormBrowser(), nobody, 'whatever it is', scope);
    const right = await passwordFirstFactor(config, new FormBrowser(), email, PASSWORD, scope);
    await right.finish(right.page.url);

    const signIns = await api.expect(200, `/organizations/${other.slug}/audit?action=login.*`);
    expect(signIns.data).toEqual([
      expect.objectContaining({
        action: 'login.failed',
        actor: { type: 'system', id: 'sign-in' },
        target: { type: 'user', id: userId },
        after: { reason: 'invalid_credentials', ip: expect.any(String) },
      }),
      // The user's first sign-in sets the baseline later ones are compared with: nothing risky.
      expect.objectContaining({
        action: 'login.risk_assessed',
        actor: { type: 'system', id: 'risk' },
        target: { type: 'user', id: userId },
        after: expect.objectContaining({ decision: 'allow', score: 0, signals: [] }),
      }),
      expect.objectContaining({
        action: 'login.succeeded',
        actor: { type: 'user', id: userId },
        after: expect.objectContaining({
          client_id: clientId,
          amr: ['pwd'],
          risk_assessment_id: expect.stringMatching(/^rsk_/),
        }),
      }),
    ]);
    const unknown = await api.expect(200, `/audit?action=login.failed&target_type=email&target_id=${nobody}`);
    expect(unknown.data).toEqual([
      expect.objectContaining({
        organization_id: null,
        after: expect.objectContaining({ reason: 'invalid_credentials' }),
      }),
    ]);

    const issued = await eventually(async () => {
      const page = await api.expect(200, `/organizations/${other.slug}/audit?action=token.issue`);
      return page.data.length > 0 ? (page.data as Json[]) : undefined;
    });
    expect(issued).toEqual([
      expect.objectContaining({
        actor: { type: 'user', id: userId },
        target: { type: 'token', id: expect.any(String) },
        after: expect.objectContaining({
          grant_type: 'authorization_code',
          client_id: clientId,
          issued: expect.arrayContaining(['access_token', 'id_token']),
        }),
      }),
    ]);
    expect(JSON.stringify(issued)).not.toMatch(/eyJ/);
  });

  it('records client credentials tokens as the client’s, and never stores a secret', async () => {
    const clientId = `audit-service-${unique()}`;
    const created = await post('/clients', {
      client_id: clientId,
      grant_types: ['client_credentials'],
      resources: [API],
      scopes: [],
      organization: other.slug,
    });
    const token = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${created.client_secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
    });
    expect(token.status).toBe(200);
    const issued = await eventually(async () => {
      const page = await api.expect(200, `/audit?action=token.issue&actor_type=client&actor_id=${clientId}`);
      return page.data.length > 0 ? (page.data as Json[]) : undefined;
    });
    expect(issued).toEqual([
      expect.objectContaining({
        organization_id: other.id,
        after: { grant_type: 'client_credentials', client_id: clientId, issued: ['access_token'] },
      }),
    ]);
    const key = await post('/api-keys', { name: `audit-${unique()}`, organization: other.slug });
    const everything = await (await api.call(`/organizations/${other.slug}/audit?format=jsonl`)).text();
    expect(everything).toContain('client.create');
    expect(everything).toContain('api_key.create');
    expect(everything).not.toContain(created.client_secret);
    expect(everything).not.toContain(key.key);
  });
});

/** Polls until `read` answers something: the token record is written as the response goes out. */
async function eventually<T>(read: () => Promise<T | undefined>, attempts = 50): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the awaited audit record never appeared');
}
