import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe('delegated admin: a key of organization A manages A and its subtree, no more', () => {
  let gh: TestGatehouse;
  let env: AdminApi;
  let a: AdminApi;
  let orgA: Json;
  const unique = () => randomUUID().slice(0, 8);

  beforeAll(async () => {
    gh = await startGatehouse();
    env = adminApi(gh, await adminKey(gh));
    orgA = await env.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `delegated-${unique()}`, name: 'A' },
    });
    a = adminApi(gh, await adminKey(gh, orgA.slug));
  });
  afterAll(() => gh.stop());

  it('manages a sub-organization of A: create, change, roles, users, delete', async () => {
    const post = (path: string, json: unknown) => a.expect(201, path, { method: 'POST', json });
    const sub = await post('/organizations', { slug: `${orgA.slug}-team`, name: 'Team', parent: orgA.id });
    await a.expect(200, `/organizations/${sub.id}`, { method: 'PATCH', json: { status: 'suspended' } });
    await post(`/organizations/${sub.id}/roles`, { name: 'lead', permissions: ['team:*'] });
    const email = `lead-${unique()}@example.com`;
    const user = await post('/users', { email, organization: sub.slug, roles: ['lead'] });
    expect(await a.expect(200, `/users/${email}`)).toEqual(user);
    await a.expect(200, `/organizations/${sub.id}/memberships/${user.id}`);
    const client = await post('/clients', {
      client_id: `team-${unique()}`,
      redirect_uris: ['https://team.example.test/cb'],
      organization: sub.id,
    });
    expect(client.client_secret).toEqual(expect.any(String));
    await a.expect(204, `/clients/${client.client_id}`, { method: 'DELETE' });
    await a.expect(204, `/organizations/${sub.id}/roles/lead`, { method: 'DELETE' });
    await a.expect(204, `/organizations/${sub.id}`, { method: 'DELETE' });
    await expectProblem(await env.call(`/organizations/${sub.id}`), 404, 'not_found');
  });

  it('cannot see or enrol users of other tenants by email or id (404, nothing written)', async () => {
    const outsider = await env.expect(201, '/users', {
      method: 'POST',
      json: { email: `out-${unique()}@example.com` },
    });
    for (const ref of [{ email: outsider.email }, { user_id: outsider.id }]) {
      const added = await a.call(`/organizations/${orgA.id}/memberships`, { method: 'POST', json: ref });
      await expectProblem(added, 404, 'not_found');
    }
    await expectProblem(await a.call(`/users/${outsider.id}`), 404, 'not_found');
    const memberships = await env.expect(200, `/organizations/${orgA.id}/memberships`);
    expect(memberships.data.map((m: Json) => m.user_id)).not.toContain(outsider.id);
  });

  it('vouches for emails only in a domain its own organization verified', async () => {
    const own = `own-${unique()}.example.test`;
    await env.expect(201, `/organizations/${orgA.id}/domains`, {
      method: 'POST',
      json: { domain: own, verified: true },
    });
    const mine = { email: `a@${own}`, organization: orgA.slug, email_verified: true };
    expect(await a.expect(201, '/users', { method: 'POST', json: mine })).toMatchObject({
      email_verified: true,
    });

    // Another tenant's domain: a "verified" user there would auto-join that tenant.
    const foreign = {
      email: `victim-${unique()}@elsewhere.example.test`,
      organization: orgA.slug,
      email_verified: true,
    };
    await expectProblem(await a.call('/users', { method: 'POST', json: foreign }), 403, 'forbidden');
    const unverified = { ...foreign, email_verified: false };
    expect(await a.expect(201, '/users', { method: 'POST', json: unverified })).toMatchObject({
      email_verified: false,
    });
  });

  it('may not create a top-level organization, nor suspend or delete its own (403)', async () => {
    const topLevel = await a.call('/organizations', {
      method: 'POST',
      json: { slug: `top-${unique()}`, name: 'T' },
    });
    await expectProblem(topLevel, 403, 'forbidden');
    const suspend = await a.call(`/organizations/${orgA.id}`, {
      method: 'PATCH',
      json: { status: 'suspended' },
    });
    await expectProblem(suspend, 403, 'forbidden');
    await expectProblem(await a.call(`/organizations/${orgA.slug}`, { method: 'DELETE' }), 403, 'forbidden');
    expect(await env.expect(200, `/organizations/${orgA.id}`)).toEqual(orgA);
    // Renaming its own organization is within its remit.
    await a.expect(200, `/organizations/${orgA.id}`, { method: 'PATCH', json: { name: 'A renamed' } });
  });

  it('may not make environment-wide objects or change accounts it can see (403)', async () => {
    const email = `member-${unique()}@example.com`;
    await a.expect(201, '/users', { method: 'POST', json: { email, organization: orgA.id } });
    const cases: Array<[string, string, unknown?]> = [
      ['POST', '/users', { email: `x-${email}` }],
      ['PATCH', `/users/${email}`, { email_verified: true }],
      ['DELETE', `/users/${email}`],
      ['POST', '/clients', { client_id: `env-${unique()}`, redirect_uris: ['https://x.example.test/cb'] }],
      ['POST', '/api-keys', { name: 'environment' }],
    ];
    for (const [method, path, json] of cases) {
      const response = await a.call(path, { method, ...(json === undefined ? {} : { json }) });
      await expectProblem(response, 403, 'forbidden');
    }
    expect(await env.expect(200, `/users/${email}`)).toMatchObject({ email_verified: false });
  });

  it('creates keys for its subtree, which see no more than it does', async () => {
    const created = await a.expect(201, '/api-keys', {
      method: 'POST',
      json: { name: 'sub', organization: orgA.id },
    });
    expect(created.organization_id).toBe(orgA.id);
    const listed = (await adminApi(gh, created.key).expect(200, '/organizations')).data as Json[];
    expect(listed.map((org) => org.id)).toEqual([orgA.id]);
  });
});
