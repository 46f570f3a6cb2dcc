import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, randomUUID, X509Certificate } from 'node:crypto';
import {
  connectionSecretContext,
  connectionSpKeyContext,
} from '../../src/domain/organizations/connections-admin.js';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// A self-signed P-256 certificate (no key kept): an IdP signing certificate as admins paste it.
const IDP_CERTIFICATE =
  'MIIBjDCCATGgAwIBAgIUbCXeHOAX7xxGQhNL7YjrhDZIsBkwCgYIKoZIzj0EAwIwGzEZMBcGA1UEAwwQaWRwLmV4YW1wbGUudGVzdDAeFw0yNjExMjkyMTE2NDhaFw0zNjExMjYyMTE2NDhaMBsxGTAXBgNVBAMMEGlkcC5leGFtcGxlLnRlc3QwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASdOXk+xZAEg25EyE9EoWB5wttWp0QsiEyhBWUv16glYZ9Im3jMKjAabyCmftFzN3HDihLJLKGD3+tpyLhznEduo1MwUTAdBgNVHQ4EFgQUU2Ht8WJ46RkX+HHcwKJsNVxDz/QwHwYDVR0jBBgwFoAUU2Ht8WJ46RkX+HHcwKJsNVxDz/QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEA9wpUR8xygNdN06eTezFIk/D7JzoRUj0u2hh1SgFfh9wCIQDwPPMnPnnru3bTO4mhExFZUfsTP9Sf7IIz9TbctlAjHg==';

describe('admin API: upstream connections', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let org: Json;
  const unique = () => randomUUID().slice(0, 8);
  const base = () => `/organizations/${org.slug}/connections`;
  const create = (json: unknown, path = base()) => api.call(path, { method: 'POST', json });
  const auditOf = (targetId: string) =>
    gh.container.db.audit.list({ targetType: 'connection', targetId }, { limit: 50 });
  const oidc = (key: string, secret: string) => ({
    key,
    type: 'oidc',
    preset: 'azure-ad',
    issuer: 'https://login.microsoftonline.com/tenant/v2.0',
    client_id: 'gatehouse-app',
    client_secret: secret,
    attribute_map: { department: 'business_unit' },
  });

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    org = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `sso-${unique()}`, name: 'SSO' },
    });
  });
  afterAll(() => gh.stop());

  it('stores an OIDC connection with its secret sealed, and never shows the secret', async () => {
    const secret = `s3cret-${randomUUID()}`;
    const response = await create(oidc('azure', secret));
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/admin/v1/organizations/${org.id}/connections/azure`);
    const created = (await response.json()) as Json;
    expect(created).toMatchObject({
      id: expect.stringMatching(/^con_/),
      organization_id: org.id,
      key: 'azure',
      type: 'oidc',
      preset: 'azure-ad',
      enabled: true,
      issuer: 'https://login.microsoftonline.com/tenant/v2.0',
      client_id: 'gatehouse-app',
      scopes: ['openid', 'email', 'profile'],
      token_endpoint_auth_method: 'client_secret_basic',
      attribute_map: { department: 'business_unit' },
      has_client_secret: true,
      managed_by: null,
    });
    expect(created).not.toHaveProperty('client_secret');
    expect(await api.expect(200, `${base()}/azure`)).toEqual(created);
    const listed = await api.expect(200, base());
    expect(listed.data).toEqual([created]);

    const row = await gh.container.db.connections.findById(created.id);
    expect(row?.secretCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(gh.container.envelope.open(row!.secretCiphertext!, connectionSecretContext(created.id))).toBe(
      secret,
    );

    const rotated = `rotated-${randomUUID()}`;
    const changed = await api.expect(200, `${base()}/azure`, {
      method: 'PATCH',
      json: { client_secret: rotated, scopes: ['openid', 'email'], enabled: false },
    });
    expect(changed).toMatchObject({ scopes: ['openid', 'email'], enabled: false, has_client_secret: true });
    const rowAfter = await gh.container.db.connections.findById(created.id);
    expect(gh.container.envelope.open(rowAfter!.secretCiphertext!, connectionSecretContext(created.id))).toBe(
      rotated,
    );

    const records = await auditOf(created.id);
    expect(records.map((record) => record.action)).toEqual(['connection.create', 'connection.update']);
    const recorded = JSON.stringify(records);
    expect(recorded).not.toContain(secret);
    expect(recorded).not.toContain(rotated);
    expect(recorded).not.toContain(rowAfter!.secretCiphertext!);
    expect(recorded).not.toContain('secretCiphertext');
  });

  it('stores SAML connections from metadata or from an SSO URL and certificate', async () => {
    const fromMetadata = await api.expect(201, base(), {
      method: 'POST',
      json: {
        key: 'legacy-okta',
        type: 'saml',
        preset: 'okta',
        idp_metadata_url: 'https://example.okta.com/app/abc/sso/saml/metadata',
        sign_authn_requests: true,
      },
    });
    expect(fromMetadata).toMatchObject({
      type: 'saml',
      idp_metadata_url: 'https://example.okta.com/app/abc/sso/saml/metadata',
      sign_authn_requests: true,
      allow_idp_initiated: false,
      allow_sha1: false,
      has_client_secret: false,
    });
    const manual = await api.expect(201, base(), {
      method: 'POST',
      json: {
        key: 'adfs',
        type: 'saml',
        preset: 'adfs',
        idp_sso_url: 'http://localhost:9000/adfs/ls',
        idp_entity_id: 'http://localhost:9000/adfs/services/trust',
        idp_certificates: [IDP_CERTIFICATE],
      },
    });
    expect(manual).toMatchObject({
      idp_sso_url: 'http://localhost:9000/adfs/ls',
      idp_certificates: [IDP_CERTIFICATE],
    });
    // Each SAML connection gets its own SP key pair, the private key sealed to the row.
    const stored = await gh.container.db.connections.findById(String(manual.id));
    const spKey = createPrivateKey(
      gh.container.envelope.open(stored!.spKeyCiphertext!, connectionSpKeyContext(stored!.id)),
    );
    expect(new X509Certificate(stored!.spCertificate!).checkPrivateKey(spKey)).toBe(true);
    expect(JSON.stringify(await auditOf(stored!.id))).not.toContain(stored!.spKeyCiphertext!);

    // Switching from the metadata URL to pasted metadata: null removes the old setting.
    const switched = await api.expect(200, `${base()}/legacy-okta`, {
      method: 'PATCH',
      json: { idp_metadata_url: null, idp_metadata_xml: '<EntityDescriptor/>' },
    });
    expect(switched.idp_metadata_xml).toBe('<EntityDescriptor/>');
    expect(switched).not.toHaveProperty('idp_metadata_url');
  });

  it('answers invalid input with problem+json: 400 for the shape, 422 for a broken result', async () => {
    const invalid = [
      { key: 'x', type: 'ldap' },
      { ...oidc('no-issuer', 's'), issuer: undefined },
      { ...oidc('plain-http', 's'), issuer: 'http://idp.example.test' },
      { ...oidc('no-secret', 's'), client_secret: undefined },
      { ...oidc('no-openid', 's'), scopes: ['email'] },
      { ...oidc('unknown-field', 's'), surprise: true },
      { ...oidc('Bad Key', 's') },
      { key: 'saml-nothing', type: 'saml' },
      { key: 'saml-no-cert', type: 'saml', idp_sso_url: 'https://idp.example.test/sso' },
      {
        key: 'saml-bad-cert',
        type: 'saml',
        idp_sso_url: 'https://idp.example.test/sso',
        idp_certificates: ['nope'],
      },
      {
        key: 'saml-secret',
        type: 'saml',
        idp_metadata_url: 'https://idp.example.test/md',
        client_secret: 's',
      },
    ];
    for (const body of invalid) {
      const problem = await expectProblem(await create(body), 400, 'invalid_request');
      expect(problem.errors).toEqual(expect.arrayContaining([expect.anything()]));
    }
    await api.expect(201, base(), { method: 'POST', json: oidc('patchable', 'secret') });
    const unsigned = await api.call(`${base()}/patchable`, {
      method: 'PATCH',
      json: { client_secret: null },
    });
    expect((await expectProblem(unsigned, 422, 'invalid_connection')).field).toBe('client_secret');
    const foreign = await api.call(`${base()}/patchable`, {
      method: 'PATCH',
      json: { idp_metadata_url: 'https://idp.example.test/md' },
    });
    await expectProblem(foreign, 422, 'invalid_connection');
    const renamed = await api.call(`${base()}/patchable`, { method: 'PATCH', json: { key: 'other' } });
    await expectProblem(renamed, 400, 'invalid_request');
  });

  it('refuses a duplicate key in one organization but allows it in another', async () => {
    await api.expect(201, base(), { method: 'POST', json: oidc('okta', 'a') });
    await expectProblem(await create(oidc('okta', 'b')), 409, 'connection_exists');
    const other = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `other-${unique()}`, name: 'Other' },
    });
    await api.expect(201, `/organizations/${other.id}/connections`, {
      method: 'POST',
      json: oidc('okta', 'c'),
    });
  });

  it("hides another tenant's connections from an organization-scoped key (404)", async () => {
    const tenant = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `tenant-${unique()}`, name: 'Tenant' },
    });
    const own = adminApi(gh, await adminKey(gh, tenant.id));
    await own.expect(201, `/organizations/${tenant.slug}/connections`, {
      method: 'POST',
      json: oidc('mine', 'secret'),
    });
    expect((await own.expect(200, `/organizations/${tenant.slug}/connections`)).data).toHaveLength(1);
    await expectProblem(await own.call(base()), 404, 'not_found');
    await expectProblem(await own.call(`${base()}/azure`), 404, 'not_found');
    await expectProblem(
      await own.call(`${base()}/azure`, { method: 'PATCH', json: { enabled: true } }),
      404,
      'not_found',
    );
    await expectProblem(await own.call(`${base()}/azure`, { method: 'DELETE' }), 404, 'not_found');
    await expectProblem(
      await own.call(base(), { method: 'POST', json: oidc('sneaky', 's') }),
      404,
      'not_found',
    );
    expect(await gh.container.db.connections.find(org.id, 'azure')).toBeDefined();
  });

  it('deletes a connection and records it without the secret', async () => {
    const created = await api.expect(201, base(), { method: 'POST', json: oidc('doomed', 'doomed-secret') });
    const response = await api.call(`${base()}/doomed`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    await expectProblem(await api.call(`${base()}/doomed`), 404, 'not_found');
    expect(await gh.container.db.connections.findById(created.id)).toBeUndefined();
    const records = await auditOf(created.id);
    expect(records.map((record) => record.action)).toEqual(['connection.create', 'connection.delete']);
    expect(records[1]?.before).toMatchObject({ key: 'doomed', hasClientSecret: true });
    expect(JSON.stringify(records)).not.toContain('doomed-secret');
  });
});
