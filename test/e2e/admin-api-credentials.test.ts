import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const API = 'https://api.example.test/reports';

describe('admin API: clients, users and API keys', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  const unique = () => randomUUID().slice(0, 8);
  const post = (path: string, json: unknown) => api.expect(201, path, { method: 'POST', json });
  const auditOf = (targetType: string, targetId: string) =>
    gh.container.db.audit.list({ targetType, targetId }, { limit: 50 });
  const clientCredentials = (clientId: string, secret: string) =>
    fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API }),
    });

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
  });
  afterAll(() => gh.stop());

  it('makes the secret of a confidential client, shows it once, and it works at /token', async () => {
    const clientId = `reports-${unique()}`;
    const body = { client_id: clientId, grant_types: ['client_credentials'], resources: [API], scopes: [] };
    const response = await api.call('/clients', { method: 'POST', json: body });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/admin/v1/clients/${clientId}`);
    const created = (await response.json()) as Json;
    expect(created).toMatchObject({ client_id: clientId, token_endpoint_auth_method: 'client_secret_basic' });
    expect(created.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect((await clientCredentials(clientId, created.client_secret)).status).toBe(200);

    const read = await api.expect(200, `/clients/${clientId}`);
    const { client_secret: _shownOnce, ...withoutSecret } = created;
    expect(read).toEqual(withoutSecret);
    const listed = await api.expect(200, '/clients?limit=200');
    expect(JSON.stringify(listed)).not.toContain(created.client_secret);

    const rotated = await api.expect(200, `/clients/${clientId}/secret`, { method: 'POST' });
    expect(rotated.client_secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(rotated.client_secret).not.toBe(created.client_secret);
    const records = await auditOf('client', clientId);
    expect(records.map((record) => record.action)).toEqual(['client.create', 'client.rotate_secret']);
    expect(JSON.stringify(records)).not.toMatch(
      new RegExp(`${created.client_secret}|${rotated.client_secret}`),
    );
    expect(JSON.stringify(records)).not.toContain('secretCiphertext');
  });

  it('registers a public client without a secret, replaces it with PUT and deletes it', async () => {
    const org = await post('/organizations', { slug: `apps-${unique()}`, name: 'Apps' });
    const clientId = `spa-${unique()}`;
    const spa = {
      redirect_uris: ['https://spa.example.test/callback'],
      token_endpoint_auth_method: 'none',
      organization: org.slug,
    };
    const created = await post('/clients', { client_id: clientId, ...spa });
    expect(created).toMatchObject({ organization_id: org.id, token_endpoint_auth_method: 'none' });
    expect(created.client_secret).toBeUndefined();
    const replaced = await api.expect(200, `/clients/${clientId}`, {
      method: 'PUT',
      json: { ...spa, redirect_uris: ['https://spa.example.test/cb'], name: 'SPA' },
    });
    expect(replaced).toMatchObject({ name: 'SPA', redirect_uris: ['https://spa.example.test/cb'] });
    const rotate = await api.call(`/clients/${clientId}/secret`, { method: 'POST' });
    await expectProblem(rotate, 422, 'client_not_confidential');
    const publicWithCredentials = await api.call('/clients', {
      method: 'POST',
      json: {
        client_id: `bad-${unique()}`,
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'none',
      },
    });
    const invalid = await expectProblem(publicWithCredentials, 400, 'invalid_request');
    expect(invalid.errors).toEqual([{ path: 'body.grant_types', message: expect.any(String) }]);

    await api.expect(204, `/clients/${clientId}`, { method: 'DELETE' });
    await expectProblem(await api.call(`/clients/${clientId}`), 404, 'not_found');
    const records = await auditOf('client', clientId);
    expect(records.map((record) => record.action)).toEqual([
      'client.create',
      'client.replace',
      'client.delete',
    ]);
    expect(records[1]).toMatchObject({
      before: { name: null, settings: { redirect_uris: spa.redirect_uris } },
      after: { name: 'SPA', settings: { redirect_uris: ['https://spa.example.test/cb'] } },
    });
  });

  it('creates, finds, changes and deletes users; the password is hashed and never shown', async () => {
    const org = await post('/organizations', { slug: `people-${unique()}`, name: 'People' });
    await post(`/organizations/${org.id}/roles`, { name: 'member', permissions: ['docs:read'] });
    const email = `grace-${unique()}@example.com`;
    const password = 'correct horse battery staple';
    const user = await post('/users', {
      email: email.toUpperCase(),
      password,
      organization: org.slug,
      roles: ['member'],
    });
    expect(user).toMatchObject({ email, email_verified: false, has_password: true, name: null });
    expect(JSON.stringify(user)).not.toMatch(/password_hash|passwordHash|argon2/);
    expect((await gh.container.accounts.authenticate(email, password))?.id).toBe(user.id);
    expect(await api.expect(200, `/organizations/${org.id}/memberships/${user.id}`)).toMatchObject({
      roles: ['member'],
    });
    const found = await api.expect(200, `/users?email=${encodeURIComponent(email)}`);
    expect(found).toEqual({ data: [user], next_cursor: null });
    const taken = await api.call('/users', { method: 'POST', json: { email } });
    await expectProblem(taken, 409, 'email_taken');

    const changed = await api.expect(200, `/users/${email}`, {
      method: 'PATCH',
      json: { name: 'Grace', email_verified: true, password: null },
    });
    expect(changed).toMatchObject({ name: 'Grace', email_verified: true, has_password: false });
    await api.expect(204, `/users/${user.id}`, { method: 'DELETE' });
    await expectProblem(await api.call(`/users/${user.id}`), 404, 'not_found');
    const records = await auditOf('user', user.id);
    expect(records.map((record) => record.action)).toEqual(['user.create', 'user.update', 'user.delete']);
    expect(records[1]).toMatchObject({
      before: { hasPassword: true },
      after: { hasPassword: false, name: 'Grace' },
    });
    expect(JSON.stringify(records)).not.toMatch(/passwordHash|argon2/);
  });

  it('creates an API key that works until it is revoked', async () => {
    const response = await api.call('/api-keys', {
      method: 'POST',
      json: { name: 'ci', expires_in_days: 30 },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as Json;
    expect(response.headers.get('location')).toBe(`/admin/v1/api-keys/${created.id}`);
    expect(created.key).toMatch(/^gh_/);
    const ci = adminApi(gh, created.key);
    await ci.expect(200, '/organizations?limit=1');
    // last_used_at is written after the answer (best effort), so it is left out of the comparison.
    const { key: _shownOnce, last_used_at: _created, ...withoutKey } = created;
    expect(await api.expect(200, `/api-keys/${created.id}`)).toMatchObject(withoutKey);
    await api.expect(204, `/api-keys/${created.id}`, { method: 'DELETE' });
    const refused = await ci.call('/organizations');
    await expectProblem(refused, 401, 'invalid_api_key');
    expect(refused.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    const records = await auditOf('api_key', created.id);
    expect(records.map((record) => record.action)).toEqual(['api_key.create', 'api_key.revoke']);
    expect(records[1]).toMatchObject({
      before: { revokedAt: null },
      after: { revokedAt: expect.any(String) },
    });
    expect(JSON.stringify(records)).not.toContain(created.key);
  });

  it('a read-only key reads what its scope covers and changes nothing', async () => {
    const org = await post('/organizations', { slug: `watched-${unique()}`, name: 'Watched' });
    const created = await post('/api-keys', { name: 'siem', access: 'read_only' });
    expect(created).toMatchObject({ access: 'read_only', organization_id: null });
    expect((await api.expect(200, `/api-keys/${created.id}`)).access).toBe('read_only');
    const reader = adminApi(gh, created.key);

    expect(await reader.expect(200, `/organizations/${org.slug}`)).toMatchObject({ id: org.id });
    await reader.expect(200, `/api-keys/${created.id}`);
    await reader.expect(200, '/audit?limit=1');

    const refusals: Array<[string, string, unknown?]> = [
      ['POST', '/organizations', { slug: `sneaky-${unique()}`, name: 'Sneaky' }],
      ['PATCH', `/organizations/${org.slug}`, { name: 'Renamed' }],
      ['DELETE', `/organizations/${org.slug}`],
      // Neither a wider key nor the end of its own.
      ['POST', '/api-keys', { name: 'escalate' }],
      ['DELETE', `/api-keys/${created.id}`],
    ];
    for (const [method, path, json] of refusals) {
      const body = await expectProblem(await reader.call(path, { method, json }), 403, 'read_only_key');
      expect(body.detail).toBe('This API key is read-only: it may read, and change nothing.');
    }
    expect(await api.expect(200, `/organizations/${org.slug}`)).toMatchObject({ name: 'Watched' });
    expect((await api.expect(200, `/api-keys/${created.id}`)).revoked_at).toBeNull();
    const keys = await api.expect(200, '/api-keys?limit=200');
    expect(keys.data.map((key: Json) => key.name)).not.toContain('escalate');
    expect((await auditOf('api_key', created.id))[0]?.after).toMatchObject({ access: 'read_only' });

    const invalid = await api.call('/api-keys', { method: 'POST', json: { name: 'x', access: 'admin' } });
    expect((await expectProblem(invalid, 400, 'invalid_request')).errors).toEqual([
      { path: 'body.access', message: expect.any(String) },
    ]);
  });
});
