import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe('admin API: routing, provisioning and branding', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let org: Json;
  let domain: string;
  const unique = () => randomUUID().slice(0, 8);
  const routing = () => `/organizations/${org.slug}/routing`;
  const provisioning = () => `/organizations/${org.slug}/provisioning`;
  const put = (path: string, json: unknown, client = api) => client.call(path, { method: 'PUT', json });
  const oidc = (key: string) => ({
    key,
    type: 'oidc',
    issuer: 'https://idp.example.test',
    client_id: 'gatehouse',
    client_secret: 'secret',
  });
  const newOrganization = (slug: string, json: Json = {}) =>
    api.expect(201, '/organizations', { method: 'POST', json: { slug, name: slug, ...json } });
  const claim = (organization: string, name: string, verified = true) =>
    api.expect(201, `/organizations/${organization}/domains`, {
      method: 'POST',
      json: { domain: name, verified },
    });

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    domain = `uw-${unique()}.example`;
    org = await newOrganization(`routing-${unique()}`, {
      domain_policy: { sso_required: true, allow_local_passwords: false },
    });
    await claim(org.id, domain);
    await claim(org.id, `*.${domain}`);
    await claim(org.id, `pending-${domain}`, false);
    for (const key of ['azure', 'legacy-okta']) {
      await api.expect(201, `/organizations/${org.id}/connections`, { method: 'POST', json: oidc(key) });
    }
    await api.expect(201, `/organizations/${org.id}/roles`, {
      method: 'POST',
      json: { name: 'claims_adjuster', permissions: ['view_claims'] },
    });
  });
  afterAll(() => gh.stop());

  it('replaces the routing rules and fallback, reads them back, and records the change', async () => {
    expect(await api.expect(200, routing())).toEqual({ rules: [], fallback_connection: null });
    const settings = {
      rules: [
        { domain: domain.toUpperCase(), connection: 'azure', priority: 1 },
        { domain: `*.${domain}`, connection: 'legacy-okta', priority: 2 },
        // Under a verified wildcard: an exact name and a narrower wildcard are the organization's too.
        { domain: `eu.${domain}`, connection: 'azure', priority: 2 },
        { domain: `*.us.${domain}`, connection: 'azure', priority: 2 },
      ],
      fallback_connection: 'azure',
    };
    const stored = await api.expect(200, routing(), { method: 'PUT', json: settings });
    expect(stored).toEqual({
      ...settings,
      rules: [{ ...settings.rules[0], domain }, ...settings.rules.slice(1)],
    });
    expect(await api.expect(200, routing())).toEqual(stored);
    const [record] = await gh.container.db.audit.list(
      { targetType: 'routing', targetId: org.id },
      { limit: 10 },
    );
    expect(record).toMatchObject({
      action: 'routing.update',
      before: { rules: [], fallback_connection: null },
      after: stored,
    });
  });

  it('refuses rules on unverified or foreign domains and unknown connections, naming each (422)', async () => {
    const other = await newOrganization(`other-${unique()}`);
    const foreign = `foreign-${unique()}.example`;
    await claim(other.id, foreign);
    await api.expect(201, `/organizations/${other.id}/connections`, { method: 'POST', json: oidc('theirs') });
    const response = await put(routing(), {
      rules: [
        { domain, connection: 'azure', priority: 1 },
        { domain: `pending-${domain}`, connection: 'azure', priority: 1 },
        { domain: foreign, connection: 'theirs', priority: 1 },
        { domain: 'not a domain', connection: 'azure', priority: 1 },
        { domain: `*.${domain.split('.').slice(1).join('.')}`, connection: 'azure', priority: 1 },
      ],
      fallback_connection: 'missing',
    });
    const problem = await expectProblem(response, 422, 'invalid_routing_rules');
    expect(problem.errors.map((error: Json) => error.path)).toEqual([
      'rules.1.domain',
      'rules.2.domain',
      'rules.2.connection',
      'rules.3.domain',
      'rules.4.domain',
      'fallback_connection',
    ]);
    expect(problem.errors[0].message).toBe(
      `pending-${domain} is not a domain this organization has verified (nor one under a wildcard it verified)`,
    );
    expect(problem.errors[2].message).toBe('theirs is not a connection of this organization');
    // Nothing was written: the routing of the previous test stands.
    expect((await api.expect(200, routing())).rules).toHaveLength(4);

    const tooMany = Array.from({ length: 101 }, () => ({ domain, connection: 'azure', priority: 1 }));
    await expectProblem(await put(routing(), { rules: tooMany, fallback_connection: null }), 400);
    await expectProblem(
      await put(routing(), {
        rules: [{ domain, connection: 'azure', priority: -1 }],
        fallback_connection: null,
      }),
      400,
      'invalid_request',
    );
  });

  it('refuses to delete a connection routing still uses (409), then deletes it once unused', async () => {
    const inUse = await expectProblem(
      await api.call(`/organizations/${org.slug}/connections/azure`, { method: 'DELETE' }),
      409,
      'connection_in_use',
    );
    expect(inUse.detail).toBe(
      `connection azure is used by routing rule #1 (${domain}), routing rule #3 (eu.${domain}), ` +
        `routing rule #4 (*.us.${domain}), the fallback connection of ${org.slug}; change the routing first`,
    );
    await api.expect(201, `/organizations/${org.id}/connections`, { method: 'POST', json: oidc('spare') });
    await api.expect(204, `/organizations/${org.slug}/connections/spare`, { method: 'DELETE' });
    expect(await gh.container.db.connections.find(org.id, 'azure')).toBeDefined();
  });

  it('explains a decision to environment keys, refusing delegated admins (403)', async () => {
    const explained = await api.expect(
      200,
      `/routing/explain?email=${encodeURIComponent(`Jane+x@EU.${domain}`)}`,
    );
    const azure = await gh.container.db.connections.find(org.id, 'azure');
    expect(explained.decision).toEqual({
      kind: 'connection',
      connection: { id: azure!.id, key: 'azure' },
      organization: { id: org.id, slug: org.slug },
      reason: `rule #3 of ${org.slug} routes eu.${domain} to azure`,
    });
    expect(explained.explain.filter((line: Json) => line.step === 'rule')).toEqual([
      expect.objectContaining({
        matched: false,
        rule: expect.objectContaining({ number: 1, connection: 'azure' }),
      }),
      expect.objectContaining({ matched: true, selected: false }),
      expect.objectContaining({
        matched: true,
        selected: true,
        why: `domain eu.${domain} covers eu.${domain}; selected: tie on priority 2 broken by specificity`,
      }),
      expect.objectContaining({ matched: false }),
    ]);
    const hinted = await api.expect(
      200,
      `/routing/explain?organization=${org.slug}&connection=legacy-okta&domain_hint=${domain}`,
    );
    expect(hinted.decision).toMatchObject({ kind: 'connection', connection: { key: 'legacy-okta' } });
    const local = await api.expect(200, `/routing/explain?email=someone@nobody-${unique()}.example`);
    expect(local.decision).toMatchObject({ kind: 'local', connection: null, organization: null });

    const delegated = adminApi(gh, await adminKey(gh, org.id));
    await expectProblem(await delegated.call(`/routing/explain?email=a@${domain}`), 403, 'forbidden');
    await expectProblem(await api.call('/routing/explain?email=a@b.example&surprise=1'), 400);
  });

  it('hides another tenant’s routing and provisioning (404), while a delegated admin manages its own', async () => {
    const tenant = await newOrganization(`tenant-${unique()}`);
    const own = adminApi(gh, await adminKey(gh, tenant.id));
    const bodies = [
      [routing(), { rules: [], fallback_connection: null }],
      [provisioning(), { jit: false }],
    ] as const;
    for (const [path, body] of bodies) {
      await expectProblem(await own.call(path), 404, 'not_found');
      await expectProblem(await put(path, body, own), 404, 'not_found');
    }
    await own.expect(201, `/organizations/${tenant.id}/connections`, { method: 'POST', json: oidc('mine') });
    expect(
      await own.expect(200, `/organizations/${tenant.id}/routing`, {
        method: 'PUT',
        json: { rules: [], fallback_connection: 'mine' },
      }),
    ).toEqual({ rules: [], fallback_connection: 'mine' });
  });

  it('stores the provisioning policy, with defaults, and lists every bad role rule (422)', async () => {
    expect(await api.expect(200, provisioning())).toEqual({ jit: true, approval: 'none', role_rules: [] });
    const policy = {
      approval: 'org_admin',
      role_rules: [
        { condition: "business_unit in ['Marine_Cargo', 'Hull']", assign_role: 'claims_adjuster' },
      ],
    };
    expect(await api.expect(200, provisioning(), { method: 'PUT', json: policy })).toEqual({
      jit: true,
      ...policy,
    });
    const bad = await put(provisioning(), {
      role_rules: [
        { condition: "department == 'x'", assign_role: 'claims_adjuster' },
        { condition: "department == 'x' and", assign_role: 'claims_adjuster' },
        { condition: 'true', assign_role: 'no_such_role' },
        { condition: 'a ==', assign_role: 'ghost' },
      ],
    });
    const problem = await expectProblem(bad, 422, 'invalid_role_rules');
    expect(problem.errors).toEqual([
      {
        path: 'role_rules.1.condition',
        message: "expected a condition after 'and' at column 22",
        column: 22,
      },
      { path: 'role_rules.2.assign_role', message: expect.stringContaining('no_such_role') },
      { path: 'role_rules.3.condition', message: expect.any(String), column: expect.any(Number) },
      { path: 'role_rules.3.assign_role', message: expect.stringContaining('ghost') },
    ]);
    expect(await api.expect(200, provisioning())).toEqual({ jit: true, ...policy });
    await expectProblem(await put(provisioning(), { approval: 'sometimes' }), 400, 'invalid_request');
    const records = await gh.container.db.audit.list(
      { targetType: 'provisioning', targetId: org.id },
      { limit: 5 },
    );
    expect(records.map((record) => record.action)).toEqual(['provisioning.update']);
  });

  it('accepts role rules for roles inherited from a parent organization', async () => {
    const child = await newOrganization(`child-${unique()}`, { parent: org.id });
    const policy = { role_rules: [{ condition: 'true', assign_role: 'claims_adjuster' }] };
    await api.expect(200, `/organizations/${child.id}/provisioning`, { method: 'PUT', json: policy });
  });

  it('shows and changes branding through the organization itself', async () => {
    const branding = { display_name: 'Maritime', logo_url: '/assets/maritime.png', primary_color: '#1e3a8a' };
    const branded = await newOrganization(`branded-${unique()}`, { branding });
    expect(branded.branding).toEqual(branding);
    const changed = await api.expect(200, `/organizations/${branded.id}`, {
      method: 'PATCH',
      json: {
        branding: { display_name: 'Maritime Underwriters', logo_url: 'https://cdn.example.test/logo.svg' },
      },
    });
    expect(changed.branding).toEqual({
      display_name: 'Maritime Underwriters',
      logo_url: 'https://cdn.example.test/logo.svg',
    });
    expect(org.branding).toEqual({});
    for (const bad of [
      { logo_url: 'javascript:alert(1)' },
      { logo_url: '//evil.example/logo.png' },
      { primary_color: 'red' },
      { colour: '#fff' },
    ]) {
      await expectProblem(
        await api.call(`/organizations/${branded.id}`, { method: 'PATCH', json: { branding: bad } }),
        400,
        'invalid_request',
      );
    }
  });

  it('deletes an organization with routing, its connections going with it', async () => {
    const doomed = await newOrganization(`doomed-${unique()}`);
    const name = `doomed-${unique()}.example`;
    await claim(doomed.id, name);
    await api.expect(201, `/organizations/${doomed.id}/connections`, { method: 'POST', json: oidc('idp') });
    await api.expect(200, `/organizations/${doomed.id}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain: name, connection: 'idp', priority: 1 }], fallback_connection: 'idp' },
    });
    await api.expect(204, `/organizations/${doomed.id}`, { method: 'DELETE' });
    expect(await gh.container.db.routingRules.listFor(doomed.id)).toEqual([]);
  });

  it('describes the new routes in openapi.json', async () => {
    const document = (await (await fetch(`${gh.url}/admin/v1/openapi.json`)).json()) as Json;
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/organizations/{organization}/routing',
        '/organizations/{organization}/provisioning',
        '/routing/explain',
      ]),
    );
    expect(document.components.schemas).toHaveProperty('Routing');
    expect(document.components.schemas).toHaveProperty('RoutingExplanation');
  });

  it('refuses to delete a verified domain routing rules stand on (409 domain_in_use), until the routing changes', async () => {
    const own = await newOrganization(`claims-${unique()}`);
    const name = `in-use-${unique()}.example`;
    await claim(own.id, name);
    await claim(own.id, `*.${name}`);
    await api.expect(201, `/organizations/${own.id}/connections`, { method: 'POST', json: oidc('idp') });
    const rules = `/organizations/${own.id}/routing`;
    await api.expect(200, rules, {
      method: 'PUT',
      json: { rules: [{ domain: `eu.${name}`, connection: 'idp', priority: 1 }], fallback_connection: null },
    });
    // The exact claim does not carry the rule on eu.<name>; the wildcard does.
    expect((await api.call(`/organizations/${own.id}/domains/${name}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    const refused = await api.call(`/organizations/${own.id}/domains/${encodeURIComponent(`*.${name}`)}`, {
      method: 'DELETE',
    });
    const problem = await expectProblem(refused, 409, 'domain_in_use');
    expect(problem.detail).toContain(`eu.${name}`);
    await api.expect(200, rules, { method: 'PUT', json: { rules: [], fallback_connection: null } });
    const deleted = await api.call(`/organizations/${own.id}/domains/${encodeURIComponent(`*.${name}`)}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(204);
  });

  it('refuses to delete a role the provisioning rules assign (409 role_in_use)', async () => {
    const own = await newOrganization(`roles-${unique()}`);
    await api.expect(201, `/organizations/${own.id}/roles`, {
      method: 'POST',
      json: { name: 'hull', permissions: ['hull:write'] },
    });
    await api.expect(200, `/organizations/${own.id}/provisioning`, {
      method: 'PUT',
      json: { role_rules: [{ condition: "department == 'Hull'", assign_role: 'hull' }] },
    });
    const refused = await api.call(`/organizations/${own.id}/roles/hull`, { method: 'DELETE' });
    expect((await expectProblem(refused, 409, 'role_in_use')).detail).toContain('role_rules[0]');
    await api.expect(200, `/organizations/${own.id}/provisioning`, {
      method: 'PUT',
      json: { role_rules: [] },
    });
    expect((await api.call(`/organizations/${own.id}/roles/hull`, { method: 'DELETE' })).status).toBe(204);
  });
});
