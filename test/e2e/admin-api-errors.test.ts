import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminRoutes } from '../../src/http/admin/routes/index.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/** Every endpoint the admin API promises, as `METHOD /path` in OpenAPI syntax. */
const ENDPOINTS = [
  'GET /organizations',
  'POST /organizations',
  'GET /organizations/{organization}',
  'PATCH /organizations/{organization}',
  'DELETE /organizations/{organization}',
  'GET /organizations/{organization}/effective',
  'GET /organizations/{organization}/sub-organizations',
  'GET /organizations/{organization}/permissions',
  'GET /organizations/{organization}/entitlements',
  'POST /organizations/{organization}/freeze',
  'POST /organizations/{organization}/unfreeze',
  'GET /organizations/{organization}/roles',
  'POST /organizations/{organization}/roles',
  'GET /organizations/{organization}/roles/{role}',
  'PATCH /organizations/{organization}/roles/{role}',
  'DELETE /organizations/{organization}/roles/{role}',
  'GET /organizations/{organization}/memberships',
  'POST /organizations/{organization}/memberships',
  'GET /organizations/{organization}/memberships/{user}',
  'PATCH /organizations/{organization}/memberships/{user}',
  'DELETE /organizations/{organization}/memberships/{user}',
  'GET /organizations/{organization}/domains',
  'POST /organizations/{organization}/domains',
  'GET /organizations/{organization}/domains/{domain}',
  'DELETE /organizations/{organization}/domains/{domain}',
  'POST /organizations/{organization}/domains/{domain}/verify',
  'GET /organizations/{organization}/custom-domains',
  'POST /organizations/{organization}/custom-domains',
  'GET /organizations/{organization}/custom-domains/{id}',
  'DELETE /organizations/{organization}/custom-domains/{id}',
  'POST /organizations/{organization}/custom-domains/{id}/verify',
  'GET /organizations/{organization}/connections',
  'POST /organizations/{organization}/connections',
  'GET /organizations/{organization}/connections/{connection}',
  'PATCH /organizations/{organization}/connections/{connection}',
  'DELETE /organizations/{organization}/connections/{connection}',
  'GET /organizations/{organization}/connections/{connection}/health',
  'POST /organizations/{organization}/connections/{connection}/sp-credential',
  'GET /organizations/{organization}/routing',
  'PUT /organizations/{organization}/routing',
  'GET /organizations/{organization}/directories',
  'POST /organizations/{organization}/directories',
  'GET /organizations/{organization}/directories/{directory}',
  'PATCH /organizations/{organization}/directories/{directory}',
  'DELETE /organizations/{organization}/directories/{directory}',
  'POST /organizations/{organization}/directories/{directory}/rotate-token',
  'POST /organizations/{organization}/portal-links',
  'GET /routing/explain',
  'GET /organizations/{organization}/provisioning',
  'PUT /organizations/{organization}/provisioning',
  'GET /clients',
  'POST /clients',
  'GET /clients/{client}',
  'PUT /clients/{client}',
  'DELETE /clients/{client}',
  'POST /clients/{client}/secret',
  'GET /users',
  'POST /users',
  'GET /users/{user}',
  'PATCH /users/{user}',
  'DELETE /users/{user}',
  'GET /users/{user}/identities',
  'DELETE /users/{user}/identities/{identity}',
  'GET /users/{user}/mfa',
  'DELETE /users/{user}/mfa/factors/{factor}',
  'POST /users/{user}/mfa/reset',
  'POST /users/{user}/unlock',
  'GET /users/{user}/sessions',
  'DELETE /users/{user}/sessions',
  'DELETE /users/{user}/sessions/{session}',
  'GET /organizations/{organization}/sessions',
  'DELETE /organizations/{organization}/sessions',
  'GET /api-keys',
  'POST /api-keys',
  'GET /api-keys/{key}',
  'DELETE /api-keys/{key}',
  'GET /organizations/{organization}/impersonations',
  'POST /organizations/{organization}/impersonations',
  'GET /organizations/{organization}/impersonations/{impersonation}',
  'POST /organizations/{organization}/impersonations/{impersonation}/approve',
  'POST /organizations/{organization}/impersonations/{impersonation}/deny',
  'POST /organizations/{organization}/impersonations/{impersonation}/revoke',
  'POST /organizations/{organization}/impersonations/{impersonation}/tickets',
  'GET /events',
  'GET /audit',
  'GET /organizations/{organization}/audit',
  'GET /organizations/{organization}/webhooks',
  'POST /organizations/{organization}/webhooks',
  'GET /organizations/{organization}/webhooks/{webhook}',
  'PATCH /organizations/{organization}/webhooks/{webhook}',
  'DELETE /organizations/{organization}/webhooks/{webhook}',
  'GET /organizations/{organization}/webhooks/{webhook}/deliveries',
  'POST /organizations/{organization}/webhooks/{webhook}/replay',
  'GET /federations',
  'POST /federations',
  'GET /federations/{federation}',
  'PATCH /federations/{federation}',
  'DELETE /federations/{federation}',
  'POST /federations/{federation}/freeze',
  'POST /federations/{federation}/unfreeze',
  'GET /federations/{federation}/members',
  'POST /federations/{federation}/members',
  'DELETE /federations/{federation}/members/{organization}',
  'GET /federations/{federation}/rules',
  'POST /federations/{federation}/rules',
  'GET /federations/{federation}/rules/{rule}',
  'PATCH /federations/{federation}/rules/{rule}',
  'DELETE /federations/{federation}/rules/{rule}',
  'GET /risk-assessments/{assessment}',
];

describe('admin API: problem details and the OpenAPI document', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  const slug = `errors-${randomUUID().slice(0, 8)}`;
  const createOrg = (json: unknown) => api.call('/organizations', { method: 'POST', json });

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    await api.expect(201, '/organizations', { method: 'POST', json: { slug, name: 'Errors' } });
  });
  afterAll(() => gh.stop());

  it('400 names each invalid and unknown field', async () => {
    const body = await expectProblem(
      await createOrg({ slug: 'A B', name: 'x', colour: 'red' }),
      400,
      'invalid_request',
    );
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.slug', message: expect.any(String) },
        { path: 'body.colour', message: 'Unknown field' },
      ]),
    );
    await expectProblem(await api.call('/organizations?limit=0'), 400, 'invalid_request');
    await expectProblem(await api.call('/organizations?cursor=forged'), 400, 'invalid_cursor');
  });

  it('401 without a key or with an unknown one', async () => {
    const missing = await api.call('/organizations', { key: null });
    await expectProblem(missing, 401, 'unauthorized');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse-admin"');
    await expectProblem(await api.call('/organizations', { key: 'gh_not_a_key' }), 401, 'invalid_api_key');
  });

  it('404 for unknown objects and routes, 405 for a method a path lacks', async () => {
    await expectProblem(await api.call('/organizations/no-such-org'), 404, 'not_found');
    await expectProblem(await api.call('/clients/no-such-client'), 404, 'not_found');
    await expectProblem(await api.call('/gadgets'), 404, 'route_not_found');
    const put = await api.call(`/organizations/${slug}`, { method: 'PUT', json: {} });
    await expectProblem(put, 405, 'method_not_allowed');
  });

  it('409 for a taken slug or a non-empty organization, 422 for a broken rule', async () => {
    await expectProblem(await createOrg({ slug, name: 'Again' }), 409, 'slug_taken');
    const child = `${slug}-child`;
    await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: child, name: 'C', parent: slug },
    });
    await expectProblem(
      await api.call(`/organizations/${slug}`, { method: 'DELETE' }),
      409,
      'organization_not_empty',
    );
    const rule = await createOrg({ slug: `${slug}-r`, name: 'R', default_role: 'ghost' });
    expect(await expectProblem(rule, 422, 'unknown_role')).toMatchObject({ field: 'default_role' });
  });

  it('413 as problem+json for a body over the limit, before it is read', async () => {
    const huge = await createOrg({ slug: `${slug}-huge`, name: 'x'.repeat(gh.env.BODY_LIMIT_BYTES) });
    const body = await expectProblem(huge, 413, 'payload_too_large');
    expect(body.instance).toBe(huge.headers.get('x-request-id'));
    // Everything else keeps the OAuth error shape.
    const token = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${'x'.repeat(gh.env.BODY_LIMIT_BYTES)}`,
    });
    expect([token.status, await token.json()]).toEqual([
      413,
      expect.objectContaining({ error: 'invalid_request' }),
    ]);
  });

  it('serves openapi.json without a key, listing every endpoint', async () => {
    const response = await api.call('/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const doc = (await response.json()) as Json;
    const listed = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual([...ENDPOINTS].sort());
    const mounted = adminRoutes(gh.container.admin).map(
      (route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    expect(mounted.sort()).toEqual(listed.sort());
    expect(doc.components.schemas).toEqual(
      expect.objectContaining({ Organization: expect.any(Object), ClientWithSecret: expect.any(Object) }),
    );
  });
});
