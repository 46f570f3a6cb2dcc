import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe('admin API: the event stream by cursor', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let acme: Json;
  let globex: Json;
  const unique = () => randomUUID().slice(0, 8);
  const eventsOf = async (organization: string, query = '') =>
    api.expect(200, `/events?organization=${organization}${query}`);
  const typesOf = async (organization: string, after = 0) =>
    ((await eventsOf(organization, `&after=${after}&limit=1000`)).data as Json[]).map((event) => event.type);

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    const organization = (slug: string) =>
      api.expect(201, '/organizations', {
        method: 'POST',
        json: { slug: `${slug}-${unique()}`, name: slug },
      });
    acme = await organization('acme');
    globex = await organization('globex');
  });
  afterAll(() => gh.stop());

  it('records admin changes to roles, users and memberships as ordered events, readable by cursor', async () => {
    await api.expect(201, `/organizations/${acme.slug}/roles`, {
      method: 'POST',
      json: { name: 'viewer', permissions: ['read'] },
    });
    const email = `ada-${unique()}@example.test`;
    const user = await api.expect(201, '/users', {
      method: 'POST',
      json: {
        email,
        name: 'Ada',
        password: 'correct horse battery',
        organization: acme.slug,
        roles: ['viewer'],
      },
    });
    await api.expect(200, `/organizations/${acme.slug}/memberships/${user.id}`, {
      method: 'PATCH',
      json: { roles: [] },
    });
    await api.expect(200, `/users/${user.id}`, { method: 'PATCH', json: { name: 'Ada L.' } });
    // Not an event: configuration stays in the audit log only.
    await api.expect(201, `/organizations/${acme.slug}/domains`, {
      method: 'POST',
      json: { domain: `d${unique()}.example.test` },
    });
    await api.expect(204, `/organizations/${acme.slug}/memberships/${user.id}`, { method: 'DELETE' });
    await api.expect(204, `/organizations/${acme.slug}/roles/viewer`, { method: 'DELETE' });

    const page = await eventsOf(acme.id, '&limit=1000');
    expect(page.data.map((event: Json) => event.type)).toEqual([
      'role.created',
      'user.created',
      'membership.created',
      'membership.updated',
      'user.updated',
      'membership.deleted',
      'role.deleted',
    ]);
    expect(page.data.map((event: Json) => event.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(page).toMatchObject({ next_after: 7, has_more: false });
    const [role, created, membership] = page.data as Json[];
    expect(role).toEqual({
      id: `evt_${acme.id.replace(/^org_/, '')}.1`,
      organization_id: acme.id,
      sequence: 1,
      type: 'role.created',
      occurred_at: expect.any(String),
      data: expect.objectContaining({ name: 'viewer', permissions: ['read'], organization_id: acme.id }),
    });
    expect(created?.data).toMatchObject({ id: user.id, email, name: 'Ada', has_password: true });
    expect(JSON.stringify(page)).not.toMatch(/argon2|password_hash/);
    expect(membership?.data).toMatchObject({ user_id: user.id, organization_id: acme.id, roles: ['viewer'] });
    expect(page.data[4].data).toMatchObject({ id: user.id, name: 'Ada L.' });
    expect(page.data[5].data).toMatchObject({ user_id: user.id, roles: [] });

    const second = await eventsOf(acme.id, '&after=2&limit=2');
    expect(second.data.map((event: Json) => event.sequence)).toEqual([3, 4]);
    expect(second).toMatchObject({ next_after: 4, has_more: true });
    const end = await eventsOf(acme.slug, '&after=7');
    expect(end).toEqual({ data: [], next_after: 7, has_more: false });
    expect(await typesOf(globex.id)).toEqual([]);
  });

  it('sends a change to a user to every organization the user belongs to', async () => {
    const user = await api.expect(201, '/users', {
      method: 'POST',
      json: { email: `grace-${unique()}@example.test`, organization: acme.slug },
    });
    await api.expect(201, `/organizations/${globex.slug}/memberships`, {
      method: 'POST',
      json: { user_id: user.id },
    });
    const [acmeBefore, globexBefore] = [
      (await eventsOf(acme.id)).next_after as number,
      (await eventsOf(globex.id, '&limit=1000')).next_after as number,
    ];
    await api.expect(200, `/users/${user.id}`, { method: 'PATCH', json: { name: 'Grace' } });
    await api.expect(204, `/users/${user.id}`, { method: 'DELETE' });
    expect(await typesOf(acme.id, acmeBefore)).toEqual(['user.updated', 'user.deleted']);
    expect(await typesOf(globex.id, globexBefore)).toEqual(['user.updated', 'user.deleted']);
    const [deleted] = (await eventsOf(globex.id, `&after=${globexBefore + 1}`)).data as Json[];
    expect(deleted?.data).toMatchObject({ id: user.id, name: 'Grace' });
  });

  it('appends no event for a change that failed', async () => {
    const before = (await eventsOf(acme.id, '&limit=1000')).next_after as number;
    const user = await api.expect(201, '/users', {
      method: 'POST',
      json: { email: `nobody-${unique()}@example.test` },
    });
    const refused = await api.call(`/organizations/${acme.slug}/memberships`, {
      method: 'POST',
      json: { user_id: user.id, roles: ['no-such-role'] },
    });
    await expectProblem(refused, 422);
    expect(await typesOf(acme.id, before)).toEqual([]);
  });

  it('answers an organization key with its own events, and 404 for another organization', async () => {
    const scoped = adminApi(gh, await adminKey(gh, acme.slug));
    const own = await scoped.expect(200, '/events?limit=1');
    expect(own.data[0]).toMatchObject({ organization_id: acme.id, sequence: 1 });
    await expectProblem(await scoped.call(`/events?organization=${globex.id}`), 404, 'not_found');
    await expectProblem(await scoped.call(`/events?organization=${globex.slug}`), 404, 'not_found');
    await expectProblem(await scoped.call(`/organizations/${globex.slug}/webhooks`), 404, 'not_found');
  });

  it('makes an environment key name the organization, and bounds the page', async () => {
    await expectProblem(await api.call('/events'), 422, 'organization_required');
    await expectProblem(await api.call(`/events?organization=${acme.id}&limit=1001`), 400, 'invalid_request');
    await expectProblem(await api.call(`/events?organization=${acme.id}&after=-1`), 400, 'invalid_request');
    await expectProblem(await api.call('/events?organization=org_missing'), 404, 'not_found');
  });
});
