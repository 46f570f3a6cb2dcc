import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  ENTERPRISE,
  ERROR,
  PATCH_OP,
  USER_SCHEMA,
  scimClient,
  scimDirectory,
  type ScimClient,
} from '../support/scim-client.js';

/**
 * SCIM Users over HTTP with the request shapes Microsoft Entra ID and Okta send (from their
 * provisioning documentation): create, read, filter, replace, every PATCH form, delete, errors.
 */
describe('SCIM 2.0 Users', () => {
  let gh: TestGatehouse;
  let scim: ScimClient;
  let domain: string;
  let organizationId: string;

  beforeAll(async () => {
    gh = await startGatehouse();
    const setup = await scimDirectory(gh, { name: 'Contoso' });
    scim = setup.scim;
    domain = setup.domain;
    organizationId = setup.organization.id;
  });
  afterAll(() => gh?.stop());

  /** Microsoft Entra ID's create-user request (SCIM protocol compliance doc). */
  const entraUser = (local: string, extra: Record<string, unknown> = {}) => ({
    schemas: [USER_SCHEMA, ENTERPRISE],
    externalId: `${local}-external`,
    userName: `${local}@${domain}`,
    active: true,
    emails: [{ primary: true, type: 'work', value: `${local}@${domain}` }],
    meta: { resourceType: 'User' },
    name: {
      formatted: `${local} Given ${local} Family`,
      familyName: `${local}Family`,
      givenName: `${local}Given`,
    },
    roles: [],
    [ENTERPRISE]: { department: 'Sales', employeeNumber: '1001' },
    ...extra,
  });

  it('creates a user from an Entra ID request, links a Gatehouse user and makes them a member', async () => {
    const created = await scim.call('POST', '/Users', entraUser('ada'));
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(created.headers.get('location')).toBe(`${scim.baseUrl}/Users/${created.body.id}`);
    expect(created.headers.get('etag')).toBe(created.body.meta.version);
    expect(created.body).toMatchObject({
      schemas: [USER_SCHEMA, ENTERPRISE],
      userName: `ada@${domain}`,
      externalId: 'ada-external',
      active: true,
      name: { givenName: 'adaGiven', familyName: 'adaFamily' },
      [ENTERPRISE]: { department: 'Sales', employeeNumber: '1001' },
      meta: { resourceType: 'User', location: `${scim.baseUrl}/Users/${created.body.id}` },
    });
    const user = await gh.container.db.users.findByEmail(`ada@${domain}`);
    expect(user).toMatchObject({ emailVerified: true, name: 'ada Given ada Family', passwordHash: null });
    expect(await gh.container.db.memberships.find(user!.id, organizationId)).toMatchObject({
      status: 'active',
    });

    const read = await scim.call('GET', `/Users/${created.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const unchanged = await scim.call('GET', `/Users/${created.body.id}`, undefined, {
      'if-none-match': created.body.meta.version,
    });
    expect(unchanged.status).toBe(304);
  });

  it('finds users by userName case-insensitively, by externalId and by email, with pagination', async () => {
    await scim.call('POST', '/Users', entraUser('grace'));
    const byName = await scim.call(
      'GET',
      `/Users?filter=${encodeURIComponent(`userName eq "GRACE@${domain.toUpperCase()}"`)}`,
    );
    expect(byName.status).toBe(200);
    expect(byName.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 1,
      startIndex: 1,
      itemsPerPage: 1,
    });
    expect(byName.body.Resources[0].userName).toBe(`grace@${domain}`);
    const byExternal = await scim.call(
      'GET',
      `/Users?filter=${encodeURIComponent('externalId eq "grace-external"')}`,
    );
    expect(byExternal.body.Resources.map((user: { userName: string }) => user.userName)).toEqual([
      `grace@${domain}`,
    ]);
    const byEmail = await scim.call(
      'GET',
      `/Users?filter=${encodeURIComponent(`emails[type eq "work" and value co "grace@"]`)}`,
    );
    expect(byEmail.body.totalResults).toBe(1);
    // Entra ID's first probe: a userName nobody has gives an empty list, not an error.
    const none = await scim.call('GET', `/Users?filter=${encodeURIComponent('userName eq "nobody@x.test"')}`);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

    const page = await scim.call('GET', '/Users?startIndex=2&count=1&sortBy=userName&attributes=userName');
    expect(page.body).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1 });
    expect(Object.keys(page.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
    expect(page.body.Resources[0].userName).toBe(`grace@${domain}`);
  });

  it('pages through the whole directory with startIndex, exactly once each, also across a write', async () => {
    const other = await scimDirectory(gh, { name: 'Pager' });
    for (let index = 0; index < 23; index += 1) {
      await other.scim.call('POST', '/Users', {
        schemas: [USER_SCHEMA],
        userName: `p${index}@${other.domain}`,
      });
    }
    const walk = async () => {
      const seen: string[] = [];
      for (let startIndex = 1; ; startIndex += 5) {
        const page = await other.scim.call('GET', `/Users?startIndex=${startIndex}&count=5`);
        expect(page.body.startIndex).toBe(startIndex);
        seen.push(...page.body.Resources.map((user: { id: string }) => user.id));
        if (startIndex + 5 > page.body.totalResults) return { seen, total: page.body.totalResults as number };
      }
    };
    const first = await walk();
    expect(first.total).toBe(23);
    expect(new Set(first.seen).size).toBe(23);
    expect(first.seen).toEqual([...first.seen].sort());
    // The second walk reuses what the first learnt; a write in between starts afresh.
    const again = await walk();
    expect(again.seen).toEqual(first.seen);
    const added = await other.scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: `late@${other.domain}`,
    });
    const after = await walk();
    expect(after.total).toBe(24);
    expect(after.seen).toEqual([...first.seen, added.body.id].sort());
  });

  it('applies Entra ID PATCH forms: capitalised ops, "False" strings, value paths, dotted keys', async () => {
    const created = await scim.call('POST', '/Users', entraUser('alan'));
    const id = created.body.id as string;
    const patched = await scim.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: `alan.t@${domain}` },
        { op: 'Replace', path: 'name.familyName', value: 'Turing' },
        { op: 'Add', value: { 'name.givenName': 'Alan', [`${ENTERPRISE}:department`]: 'Research' } },
        { op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'boss-id' } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      emails: [{ value: `alan.t@${domain}`, type: 'work', primary: true }],
      name: { givenName: 'Alan', familyName: 'Turing' },
      [ENTERPRISE]: { department: 'Research', manager: { value: 'boss-id' } },
    });
    expect(patched.body.meta.version).not.toBe(created.body.meta.version);
    // The address moved too: the organization verified its domain and nobody else has it.
    expect(await gh.container.db.users.findByEmail(`alan.t@${domain}`)).toMatchObject({
      name: 'alan Given alan Family',
    });

    const off = await scim.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(off.body.active).toBe(false);
  });

  it('takes Okta’s PUT full replace and its active-only PATCH', async () => {
    const oktaCreate = {
      schemas: [USER_SCHEMA],
      userName: `okta.user@${domain}`,
      name: { givenName: 'Okta', familyName: 'User' },
      emails: [{ primary: true, value: `okta.user@${domain}`, type: 'work' }],
      displayName: 'Okta User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    };
    const created = await scim.call('POST', '/Users', oktaCreate);
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    const id = created.body.id as string;
    const replaced = await scim.call('PUT', `/Users/${id}`, {
      ...oktaCreate,
      id,
      name: { givenName: 'Okta', familyName: 'Renamed' },
      meta: created.body.meta,
      displayName: undefined,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toEqual({ givenName: 'Okta', familyName: 'Renamed' });
    expect(replaced.body.displayName).toBeUndefined();

    const deactivated = await scim.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.body.active).toBe(false);
    // A PUT without `active` keeps the user deactivated (Okta sends it; others may not).
    const { active: _left, ...withoutActive } = oktaCreate;
    const again = await scim.call('PUT', `/Users/${id}`, withoutActive);
    expect(again.body.active).toBe(false);
  });

  it('answers errors in SCIM form: bad filter, unknown id, uniqueness, bad PATCH, stale ETag', async () => {
    const badFilter = await scim.call('GET', `/Users?filter=${encodeURIComponent('userName eq')}`);
    expect(badFilter.status).toBe(400);
    expect(badFilter.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidFilter' });

    const missing = await scim.call('GET', '/Users/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' });

    const first = await scim.call('POST', '/Users', entraUser('linus'));
    const twice = await scim.call(
      'POST',
      '/Users',
      entraUser('linus', { userName: `LINUS@${domain}`, externalId: 'other' }),
    );
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ status: '409', scimType: 'uniqueness' });

    const malformed = await scim.call('PATCH', `/Users/${first.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'jump', path: 'active', value: false }],
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.scimType).toBe('invalidSyntax');
    const noTarget = await scim.call('PATCH', `/Users/${first.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.z' }],
    });
    expect(noTarget.body.scimType).toBe('noTarget');
    const readOnly = await scim.call('PATCH', `/Users/${first.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'id', value: 'mine' }],
    });
    expect(readOnly.body.scimType).toBe('mutability');
    const notJson = await scim.call('POST', '/Users', '{"userName": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.scimType).toBe('invalidSyntax');

    const stale = await scim.call('PUT', `/Users/${first.body.id}`, entraUser('linus'), {
      'if-match': 'W/"999"',
    });
    expect(stale.status).toBe(412);
    const current = await scim.call('PUT', `/Users/${first.body.id}`, entraUser('linus'), {
      'if-match': first.body.meta.version,
    });
    expect(current.status).toBe(200);

    const foreign = await scim.call(
      'POST',
      '/Users',
      entraUser('eve', { userName: 'eve@not-verified.test', emails: [] }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.detail).toContain('has not verified the domain');
  });

  it('refuses requests without the directory’s own token, and another tenant’s token', async () => {
    const other = await scimDirectory(gh, { name: 'Fabrikam' });
    const created = await other.scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: `someone@${other.domain}`,
    });
    expect(created.status).toBe(201);
    // Contoso's token on Fabrikam's base URL, and at Fabrikam's user: the same 401 as no token.
    const crossed = scimClient(gh, other.directory.id, scim.token);
    for (const answer of [
      await crossed.call('GET', '/Users'),
      await crossed.call('GET', `/Users/${created.body.id}`),
      await crossed.call('DELETE', `/Users/${created.body.id}`),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ schemas: [ERROR], status: '401' });
    }
    expect((await scim.call('GET', `/Users/${created.body.id}`)).status).toBe(404);
    const anonymous = await fetch(`${scim.baseUrl}/Users`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('deletes a user: gone from SCIM, the person stays with the membership suspended', async () => {
    const created = await scim.call('POST', '/Users', entraUser('mary'));
    expect((await scim.call('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    expect((await scim.call('GET', `/Users/${created.body.id}`)).status).toBe(404);
    expect((await scim.call('DELETE', `/Users/${created.body.id}`)).status).toBe(404);
    const user = await gh.container.db.users.findByEmail(`mary@${domain}`);
    expect(await gh.container.db.memberships.find(user!.id, organizationId)).toMatchObject({
      status: 'suspended',
    });
  });

  it('serves the discovery documents and SCIM 404s for unknown endpoints', async () => {
    const config = await scim.call('GET', '/ServiceProviderConfig');
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000 },
    });
    const types = await scim.call('GET', '/ResourceTypes');
    expect(types.body.Resources.map((type: { id: string }) => type.id)).toEqual(['User', 'Group']);
    const schema = await scim.call('GET', `/Schemas/${USER_SCHEMA}`);
    expect(schema.body.id).toBe(USER_SCHEMA);
    const unknown = await scim.call('GET', '/Widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.schemas).toEqual([ERROR]);
  });
});
