import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DnsResolver } from '../../src/domain/organizations/domain-verification.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** A DNS zone the test writes: TXT records by name; any other name does not exist. */
const zone = new Map<string, string[][]>();
const dns: DnsResolver = {
  async resolveTxt(name) {
    const records = zone.get(name);
    if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    return records;
  },
};

describe('admin API: organizations, roles, memberships, domains', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  const unique = () => randomUUID().slice(0, 8);
  const post = (path: string, json: unknown) => api.expect(201, path, { method: 'POST', json });
  const patch = (path: string, json: unknown) => api.expect(200, path, { method: 'PATCH', json });
  const auditOf = (targetType: string, targetId: string) =>
    gh.container.db.audit.list({ targetType, targetId }, { limit: 50 });

  beforeAll(async () => {
    gh = await startGatehouse({}, { dns });
    api = adminApi(gh, await adminKey(gh));
  });
  afterAll(() => gh.stop());

  it('builds an organization tree; sub-organizations inherit roles and permissions', async () => {
    const slug = `acme-${unique()}`;
    const response = await api.call('/organizations', { method: 'POST', json: { slug, name: 'Acme' } });
    expect(response.status).toBe(201);
    const acme = (await response.json()) as Json;
    expect(response.headers.get('location')).toBe(`/admin/v1/organizations/${acme.id}`);
    expect(acme).toEqual({
      id: expect.stringMatching(/^org_/),
      slug,
      name: 'Acme',
      parent_id: null,
      status: 'active',
      metadata: {},
      domain_policy: {},
      security_policies: {},
      default_role: null,
      branding: {},
      plan: {},
      frozen_at: null,
      frozen_reason: null,
      managed_by: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    await post(`/organizations/${slug}/roles`, { name: 'viewer', permissions: ['docs:read'] });
    await post(`/organizations/${slug}/roles`, { name: 'editor', permissions: ['docs:read', 'docs:write'] });
    const eu = await post('/organizations', { slug: `${slug}-eu`, name: 'Acme EU', parent: slug });
    expect(eu.parent_id).toBe(acme.id);
    await post(`/organizations/${eu.id}/roles`, { name: 'auditor', permissions: ['logs:read'] });

    const subs = await api.expect(200, `/organizations/${slug}/sub-organizations`);
    expect(subs).toEqual({ data: [eu], next_cursor: null });
    const effective = await api.expect(200, `/organizations/${eu.slug}/effective`);
    expect(effective.roles).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'viewer', defined_by: acme.id, inherited: true }),
        expect.objectContaining({ name: 'auditor', defined_by: eu.id, inherited: false }),
      ]),
    );
    expect((await api.expect(200, `/organizations/${eu.id}/permissions`)).data).toEqual([
      { permission: 'docs:read', roles: ['editor', 'viewer'] },
      { permission: 'docs:write', roles: ['editor'] },
      { permission: 'logs:read', roles: ['auditor'] },
    ]);
    const renamed = await patch(`/organizations/${eu.id}`, { name: 'Acme Europe', default_role: 'viewer' });
    expect(renamed).toMatchObject({ name: 'Acme Europe', default_role: 'viewer' });
    const role = await patch(`/organizations/${slug}/roles/viewer`, { permissions: ['docs:list'] });
    expect(role.permissions).toEqual(['docs:list']);

    const records = await auditOf('organization', eu.id);
    expect(records.map((record) => record.action)).toEqual(['organization.create', 'organization.update']);
    expect(records[1]).toMatchObject({ before: { name: 'Acme EU' }, after: { name: 'Acme Europe' } });
    const roleRecords = await auditOf('role', role.id);
    expect(
      roleRecords.map((record) => [record.action, record.before !== null, record.after !== null]),
    ).toEqual([
      ['role.create', false, true],
      ['role.update', true, true],
    ]);
  });

  it('adds, changes and removes memberships by email, with audit records', async () => {
    const org = await post('/organizations', { slug: `members-${unique()}`, name: 'Members' });
    await post(`/organizations/${org.id}/roles`, { name: 'admin', permissions: ['*'], admin: true });
    const email = `ada-${unique()}@example.com`;
    const user = await post('/users', { email, name: 'Ada' });
    const created = await post(`/organizations/${org.slug}/memberships`, { email, roles: ['admin'] });
    expect(created).toMatchObject({
      user_id: user.id,
      organization_id: org.id,
      status: 'active',
      roles: ['admin'],
    });
    expect(await api.expect(200, `/organizations/${org.id}/memberships/${email}`)).toEqual(created);
    const changed = await patch(`/organizations/${org.id}/memberships/${user.id}`, { status: 'suspended' });
    expect(changed.status).toBe('suspended');
    const listed = await api.expect(200, `/organizations/${org.id}/memberships?role=admin&status=suspended`);
    expect(listed.data.map((m: Json) => m.user_id)).toEqual([user.id]);
    await api.expect(204, `/organizations/${org.id}/memberships/${email}`, { method: 'DELETE' });
    await expectProblem(await api.call(`/organizations/${org.id}/memberships/${email}`), 404, 'not_found');
    const records = await auditOf('membership', created.id);
    expect(records.map((record) => record.action)).toEqual([
      'membership.create',
      'membership.update',
      'membership.delete',
    ]);
    expect(records[2]).toMatchObject({ before: { status: 'suspended' }, after: null });
  });

  it('claims a domain, verifies it through the DNS TXT record, and gives it up', async () => {
    const org = await post('/organizations', { slug: `dns-${unique()}`, name: 'DNS' });
    const domain = `${unique()}.example.com`;
    const claim = await post(`/organizations/${org.id}/domains`, { domain: domain.toUpperCase() });
    expect(claim).toMatchObject({ domain, verified: false, verification: { type: 'dns_txt' } });
    expect(claim.verification.name).toBe(`_gatehouse-challenge.${domain}`);
    const verify = `/organizations/${org.id}/domains/${domain}/verify`;
    // No body at all: `method` defaults to dns.
    const missing = await api.call(verify, { method: 'POST' });
    expect(await expectProblem(missing, 422, 'verification_failed')).toMatchObject({ field: 'domain' });

    zone.set(claim.verification.name, [[claim.verification.value]]);
    const verified = await api.expect(200, verify, { method: 'POST', json: { method: 'dns' } });
    expect(verified).toMatchObject({ verified: true, verification_method: 'dns', verification: null });
    const other = await post('/organizations', { slug: `dns-other-${unique()}`, name: 'Other' });
    const taken = await api.call(`/organizations/${other.id}/domains`, { method: 'POST', json: { domain } });
    await expectProblem(taken, 409, 'domain_taken');
    expect((await api.expect(200, `/organizations/${org.id}/domains`)).data).toEqual([verified]);
    await api.expect(204, `/organizations/${org.id}/domains/${domain}`, { method: 'DELETE' });
    const records = await auditOf('domain', claim.id);
    expect(records.map((record) => record.action)).toEqual([
      'domain.create',
      'domain.verify',
      'domain.delete',
    ]);
    expect(records[1]).toMatchObject({ before: { verifiedAt: null }, after: { verificationMethod: 'dns' } });
  });

  it('walks a collection with cursors', async () => {
    const parent = await post('/organizations', { slug: `pages-${unique()}`, name: 'Pages' });
    for (const n of [1, 2, 3, 4, 5]) {
      await post('/organizations', { slug: `${parent.slug}-${n}`, name: `Child ${n}`, parent: parent.id });
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page: Json = await api.expect(200, `/organizations?parent=${parent.slug}&limit=2${query}`);
      seen.push(...page.data.map((org: Json) => org.name));
      cursor = page.next_cursor;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['Child 1', 'Child 2', 'Child 3', 'Child 4', 'Child 5']);
  });

  it('replays a POST retried with the same Idempotency-Key instead of creating twice', async () => {
    const slug = `retry-${unique()}`;
    const send = () =>
      api.call('/organizations', {
        method: 'POST',
        json: { slug, name: 'Retried' },
        headers: { 'Idempotency-Key': `create-${slug}` },
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await second.json()).toEqual(await first.json());
    expect((await api.expect(200, `/organizations?slug=${slug}`)).data).toHaveLength(1);
  });
});
