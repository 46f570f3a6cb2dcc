import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** Organization B's objects, made with the environment key. */
interface Fixture {
  org: Json;
  sub: Json;
  role: Json;
  user: Json;
  domain: Json;
  client: Json;
  envClient: Json;
  key: Json;
  /** A's own client, which A's key must not be able to move into B. */
  clientOfA: Json;
}
type Target = [path: string, json?: unknown];

const redirect = { redirect_uris: ['https://app.example.test/callback'], token_endpoint_auth_method: 'none' };

/** Every org-scoped endpoint, aimed at B's objects; A's key must get 404 from each. */
const CASES: Array<[name: string, method: string, target: (b: Fixture) => Target]> = [
  ['get the organization by id', 'GET', (b) => [`/organizations/${b.org.id}`]],
  ['get the organization by slug', 'GET', (b) => [`/organizations/${b.org.slug}`]],
  ['rename the organization', 'PATCH', (b) => [`/organizations/${b.org.id}`, { name: 'Taken' }]],
  ['suspend the organization', 'PATCH', (b) => [`/organizations/${b.org.slug}`, { status: 'suspended' }]],
  ['delete a sub-organization', 'DELETE', (b) => [`/organizations/${b.sub.id}`]],
  ['list sub-organizations', 'GET', (b) => [`/organizations/${b.org.id}/sub-organizations`]],
  ['filter organizations by parent', 'GET', (b) => [`/organizations?parent=${b.org.slug}`]],
  [
    'create a sub-organization',
    'POST',
    (b) => ['/organizations', { slug: `x-${b.org.slug}`, name: 'X', parent: b.org.id }],
  ],
  ['read effective settings', 'GET', (b) => [`/organizations/${b.org.id}/effective`]],
  ['read effective permissions', 'GET', (b) => [`/organizations/${b.org.id}/permissions`]],
  ['list roles', 'GET', (b) => [`/organizations/${b.org.id}/roles`]],
  ['create a role', 'POST', (b) => [`/organizations/${b.org.id}/roles`, { name: 'intruder' }]],
  ['get a role', 'GET', (b) => [`/organizations/${b.org.id}/roles/${b.role.name}`]],
  [
    'change a role',
    'PATCH',
    (b) => [`/organizations/${b.org.id}/roles/${b.role.name}`, { permissions: ['*'] }],
  ],
  ['delete a role', 'DELETE', (b) => [`/organizations/${b.org.id}/roles/${b.role.name}`]],
  ['list memberships', 'GET', (b) => [`/organizations/${b.org.id}/memberships`]],
  ['add a membership', 'POST', (b) => [`/organizations/${b.org.id}/memberships`, { user_id: b.user.id }]],
  ['get a membership', 'GET', (b) => [`/organizations/${b.org.id}/memberships/${b.user.email}`]],
  [
    'change a membership',
    'PATCH',
    (b) => [`/organizations/${b.org.id}/memberships/${b.user.id}`, { roles: [] }],
  ],
  ['remove a membership', 'DELETE', (b) => [`/organizations/${b.org.id}/memberships/${b.user.id}`]],
  ['list domains', 'GET', (b) => [`/organizations/${b.org.id}/domains`]],
  [
    'claim a domain',
    'POST',
    (b) => [`/organizations/${b.org.id}/domains`, { domain: `x.${b.domain.domain}` }],
  ],
  ['get a domain', 'GET', (b) => [`/organizations/${b.org.id}/domains/${b.domain.domain}`]],
  ['verify a domain', 'POST', (b) => [`/organizations/${b.org.id}/domains/${b.domain.domain}/verify`, {}]],
  ['delete a domain', 'DELETE', (b) => [`/organizations/${b.org.id}/domains/${b.domain.domain}`]],
  ['get a client', 'GET', (b) => [`/clients/${b.client.client_id}`]],
  ['replace a client', 'PUT', (b) => [`/clients/${b.client.client_id}`, redirect]],
  ['delete a client', 'DELETE', (b) => [`/clients/${b.client.client_id}`]],
  ['rotate a client secret', 'POST', (b) => [`/clients/${b.client.client_id}/secret`]],
  [
    'create a client in B',
    'POST',
    (b) => ['/clients', { client_id: `x-${b.org.slug}`, ...redirect, organization: b.org.id }],
  ],
  [
    'move its own client into B',
    'PUT',
    (b) => [`/clients/${b.clientOfA.client_id}`, { ...redirect, organization: b.org.slug }],
  ],
  ['get an environment-wide client', 'GET', (b) => [`/clients/${b.envClient.client_id}`]],
  ['delete an environment-wide client', 'DELETE', (b) => [`/clients/${b.envClient.client_id}`]],
  ['get a user of B', 'GET', (b) => [`/users/${b.user.id}`]],
  ['get a user of B by email', 'GET', (b) => [`/users/${b.user.email}`]],
  ['change a user of B', 'PATCH', (b) => [`/users/${b.user.id}`, { password: 'taken over at last' }]],
  ['delete a user of B', 'DELETE', (b) => [`/users/${b.user.email}`]],
  ['create a user in B', 'POST', (b) => ['/users', { email: `x-${b.user.email}`, organization: b.org.id }]],
  ['get an API key of B', 'GET', (b) => [`/api-keys/${b.key.id}`]],
  ['revoke an API key of B', 'DELETE', (b) => [`/api-keys/${b.key.id}`]],
  ['create an API key for B', 'POST', (b) => ['/api-keys', { name: 'x', organization: b.org.id }]],
];

describe('tenant isolation: a key of organization A never reaches organization B', () => {
  let gh: TestGatehouse;
  let env: AdminApi;
  let a: AdminApi;
  let keyOfA: string;
  let orgA: Json;
  let b: Fixture;
  let before: Json;
  const unique = () => randomUUID().slice(0, 8);
  const post = (path: string, json: unknown) => env.expect(201, path, { method: 'POST', json });

  /** Everything of B (and A's client) as the environment key reads it. */
  const snapshot = async () => {
    const paths = [
      `/organizations/${b.org.id}`,
      `/organizations/${b.sub.id}`,
      `/organizations/${b.org.id}/sub-organizations`,
      `/organizations/${b.org.id}/roles`,
      `/organizations/${b.org.id}/memberships`,
      `/organizations/${b.org.id}/domains`,
      `/clients/${b.client.client_id}`,
      `/clients/${b.envClient.client_id}`,
      `/clients/${b.clientOfA.client_id}`,
      `/users/${b.user.id}`,
      `/api-keys/${b.key.id}`,
    ];
    return Object.fromEntries(
      await Promise.all(paths.map(async (path) => [path, await env.expect(200, path)])),
    );
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    env = adminApi(gh, await adminKey(gh));
    const run = unique();
    orgA = await post('/organizations', { slug: `tenant-a-${run}`, name: 'A' });
    const org = await post('/organizations', { slug: `tenant-b-${run}`, name: 'B' });
    const email = `bea-${run}@example.com`;
    b = {
      org,
      sub: await post('/organizations', { slug: `tenant-b-${run}-sub`, name: 'B sub', parent: org.id }),
      role: await post(`/organizations/${org.id}/roles`, { name: 'member', permissions: ['docs:read'] }),
      user: await post('/users', {
        email,
        password: 'the password of bea',
        organization: org.id,
        roles: ['member'],
      }),
      domain: await post(`/organizations/${org.id}/domains`, { domain: `b-${run}.example.com` }),
      client: await post('/clients', { client_id: `b-app-${run}`, ...redirect, organization: org.id }),
      envClient: await post('/clients', { client_id: `env-app-${run}`, ...redirect }),
      key: await post('/api-keys', { name: 'B automation', organization: org.id }),
      clientOfA: await post('/clients', { client_id: `a-app-${run}`, ...redirect, organization: orgA.id }),
    };
    keyOfA = await adminKey(gh, orgA.id);
    a = adminApi(gh, keyOfA);
    before = await snapshot();
  });
  afterAll(() => gh.stop());

  it.each(CASES)('404 when A tries to %s', async (_name, method, target) => {
    const [path, json] = target(b);
    const response = await a.call(path, { method, ...(json === undefined ? {} : { json }) });
    await expectProblem(response, 404, 'not_found');
  });

  // The control: the same reads find B's objects with the environment key, so no 404 above is a typo.
  it.each(CASES.filter(([, method]) => method === 'GET'))(
    'the environment key can %s',
    async (...[, , target]) => {
      await env.expect(200, target(b)[0]);
    },
  );

  it('left every object of B as it was, and A changed nothing anywhere', async () => {
    expect(await snapshot()).toEqual(before);
    // What the refused creations would have made, had they not been refused before any write.
    await expectProblem(await env.call(`/clients/x-${b.org.slug}`), 404, 'not_found');
    await expectProblem(await env.call(`/users/x-${b.user.email}`), 404, 'not_found');
    const actor = (await gh.container.admin.apiKeys.authenticate(keyOfA))!.actor;
    const records = await gh.container.db.audit.list(
      { organizationIds: [b.org.id, b.sub.id, orgA.id] },
      { limit: 500 },
    );
    expect(records.filter((record) => record.actor.id === actor.id)).toEqual([]);
  });

  it("lists none of B's objects to A", async () => {
    const ids = async (path: string, field = 'id') =>
      ((await a.expect(200, path)).data as Json[]).map((item) => item[field] as string);
    expect(await ids('/organizations?limit=200')).toEqual([orgA.id]);
    expect(await ids('/clients?limit=200', 'client_id')).toEqual([b.clientOfA.client_id]);
    expect(await ids('/users?limit=200')).toEqual([]);
    expect(await ids(`/users?email=${encodeURIComponent(b.user.email)}`)).toEqual([]);
    expect(await ids('/api-keys?limit=200')).toEqual([expect.any(String)]);
    expect(await ids('/api-keys?limit=200')).not.toContain(b.key.id);
  });
});
