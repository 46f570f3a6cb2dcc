import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { readForm } from '../support/html-form.js';
import { discover, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import { startPortalSamlIdp, type PortalSamlIdp } from '../support/portal-saml-idp.js';
import { SAML_EMAIL, unsolicitedResponse } from '../support/saml-partner.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';
import { fixtureKey } from '../federation/saml/support/saml-context.js';

/** Signs a browser in to the portal for `organizationId` through a one-time setup link. */
async function portalSession(gh: TestGatehouse, organizationId: string): Promise<FormBrowser> {
  const { secret } = await gh.container.portal.links.issue(OPERATOR, organizationId, {
    intent: 'sso',
    expires_in: 3600,
  });
  const browser = new FormBrowser();
  const confirm = await browser.get(`${gh.url}/portal/setup/${secret}`);
  const home = await browser.follow(await browser.submit(confirm, '/portal/setup/'));
  expect(home.url).toBe(`${gh.url}/portal/sso`);
  return browser;
}

/** Presses "Test connection" and goes through the IdP's auto-posted form back to the portal. */
async function testConnection(browser: FormBrowser, page: Page): Promise<Page> {
  const atIdp = await browser.follow(await browser.submit(page, '/test'));
  const form = readForm(atIdp.body, atIdp.url, '/acs');
  const back = await browser.request(form.action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields),
  });
  return browser.follow(back);
}

describe('portal SSO setup: SAML with test connection, mapping and activation', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let idp: PortalSamlIdp;
  let organizationId: string;
  let browser: FormBrowser;
  let connectionPage: Page;
  let connectionId: string;
  const domain = `${randomUUID().slice(0, 8)}.portal-sso.test`;

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    const organization = await createOrganization(gh, 'Portal SSO Co', {
      roles: [
        { name: 'member', permissions: ['read'] },
        { name: 'underwriter', permissions: ['write'] },
      ],
      defaultRole: 'member',
    });
    organizationId = organization.id;
    await gh.container.admin.domains.add(OPERATOR, organizationId, { domain, verified: true });
    idp = await startPortalSamlIdp({
      nameId: 'admin-01',
      email: `admin@${domain}`,
      attributes: { department: 'Underwriting', memberOf: ['Underwriters', 'Staff'] },
    });
    browser = await portalSession(gh, organizationId);
  }, 90_000);
  afterAll(async () => {
    await idp?.close();
    await gh?.stop();
  }, 60_000);

  it('guides the setup with this connection’s own values, and creates it disabled', async () => {
    const guide = await browser.follow(await browser.get(`${gh.url}/portal/sso/new/okta`));
    expect(guide.status).toBe(200);
    const reserved = /name="reserved_id" value="([^"]+)"/.exec(guide.body)?.[1] ?? '';
    expect(reserved).toMatch(/^con_/);
    expect(guide.body).toContain(`${gh.issuer}/sso/saml/${reserved}/acs`);
    // A reload keeps the id the IdP was given.
    expect((await browser.get(guide.url)).body).toContain(reserved);

    const created = await browser.submit(guide, '/portal/sso/new/okta', {
      key: 'okta',
      idp_metadata_url: idp.metadataUrl,
    });
    expect(created.status).toBe(303);
    connectionId = reserved;
    expect(created.headers.get('location')).toBe(`/portal/sso/connections/${connectionId}`);
    const connection = await gh.container.db.connections.findById(connectionId);
    expect(connection).toMatchObject({ organizationId, key: 'okta', enabled: false, preset: 'okta' });
    // The reservation is used up: the same form cannot create a second connection.
    expect(
      (
        await browser.submit(guide, '/portal/sso/new/okta', {
          key: 'okta-2',
          idp_metadata_url: idp.metadataUrl,
        })
      ).headers.get('location'),
    ).toBe('/portal/sso/new/okta');
    connectionPage = await browser.follow(created);
    expect(connectionPage.body).toContain('Not active');
    expect(connectionPage.body).toContain('id="activate-blocked"');
  });

  it('never signs anyone in through the disabled connection', async () => {
    const entityId = `${gh.issuer}/sso/saml/${connectionId}`;
    const person = { nameId: 'mallory', email: `mallory@${domain}` };
    // Even one that would accept an IdP-initiated sign-in, were it enabled.
    await api.expect(200, `/organizations/${organizationId}/connections/okta`, {
      method: 'PATCH',
      json: { allow_idp_initiated: true, idp_initiated_client: 'portal-sso-app' },
    });
    const response = await fetch(`${gh.url}/sso/saml/${connectionId}/acs`, {
      method: 'POST',
      body: new URLSearchParams({
        SAMLResponse: await unsolicitedResponse(`${entityId}/acs`, entityId, person),
      }),
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('connection_unavailable');
    expect(await gh.container.db.users.findByEmail(person.email)).toBeUndefined();
  });

  it('sends nobody to the IdP of a disabled connection, even one a routing rule names', async () => {
    const clientId = `portal-sso-app-${randomUUID()}`;
    const secret = 'portal-sso-app-secret-0123456789abcdef';
    await gh.addClient({
      client_id: clientId,
      client_secret: secret,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email'],
    });
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain, connection: 'okta', priority: 1 }], fallback_connection: null },
    });
    const signIns = idp.signIns;
    const person = new FormBrowser();
    const { page: emailPage } = await startAuthorization(
      await discover(gh.issuer, clientId, secret),
      person,
      {
        scope: 'openid email',
      },
    );
    const page = await person.follow(
      await person.submit(emailPage, '/identify', { email: `grace@${domain}` }),
      (location) => location.startsWith(idp.url),
    );
    expect(page.url.startsWith(idp.url)).toBe(false);
    // Realm discovery passes over a disabled connection: the person is not sent to its IdP.
    expect(page.body).not.toContain('SAMLRequest');
    expect(idp.signIns).toBe(signIns);
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [], fallback_connection: null },
    });
  });

  it('refuses to activate before a test', async () => {
    const csrf = /name="csrf" value="([^"]+)"/.exec(connectionPage.body)?.[1] ?? '';
    const refused = await browser.follow(
      await browser.request(`${gh.url}/portal/sso/connections/${connectionId}/activate`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf }),
      }),
    );
    expect(refused.body).toContain('Not activated: run a successful test');
    expect((await gh.container.db.connections.findById(connectionId))?.enabled).toBe(false);
  });

  it('runs a real sign-in as a test: shows the attributes and the mapped result, signs nobody in', async () => {
    const result = await testConnection(browser, connectionPage);
    expect(result.url).toBe(`${gh.url}/portal/sso/connections/${connectionId}/test`);
    expect(result.body).toContain('id="test-passed"');
    expect(result.body).toContain(SAML_EMAIL);
    expect(result.body).toContain('Underwriters, Staff');
    expect(result.body).toMatch(/id="mapped-email">admin@/);
    expect(result.body).toMatch(/id="mapped-roles">member</);
    expect(await gh.container.db.users.findByEmail(`admin@${domain}`)).toBeUndefined();
    const health = await gh.container.db.connectionHealth.find(connectionId);
    expect(health?.lastTestedAt).toBeInstanceOf(Date);
    expect(health?.lastSuccessAt).toBeNull();
    expect(JSON.stringify(health)).not.toContain('SAMLResponse');
    connectionPage = result;
  });

  it('previews an edited mapping on the received attributes without saving it, then saves it', async () => {
    const editor = await browser.get(`${gh.url}/portal/sso/connections/${connectionId}/mapping`);
    expect(editor.status).toBe(200);
    const rows = {
      map_from_0: 'memberOf',
      map_to_0: 'groups',
      map_from_1: 'department',
      map_to_1: 'department',
      rule_condition_0: "groups contains 'Underwriters'",
      rule_role_0: 'underwriter',
    };
    const preview = await browser.submit(editor, '/mapping', { ...rows, action: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatch(/id="mapped-roles">member, underwriter</);
    expect((await gh.container.db.organizations.find(organizationId))?.provisioning.role_rules ?? []).toEqual(
      [],
    );

    const unknownRole = await browser.submit(editor, '/mapping', {
      ...rows,
      rule_role_0: 'pilot',
      action: 'save',
    });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body).toContain('role pilot is not defined');

    const saved = await browser.follow(await browser.submit(editor, '/mapping', { ...rows, action: 'save' }));
    expect(saved.body).toContain('The mapping was saved');
    expect((await gh.container.db.connections.findById(connectionId))?.attributeMap).toEqual({
      memberOf: 'groups',
      department: 'department',
    });
    expect((await gh.container.db.organizations.find(organizationId))?.provisioning.role_rules).toEqual([
      { condition: "groups contains 'Underwriters'", assign_role: 'underwriter' },
    ]);
  });

  it('asks for a new test after a settings change, then activates and routes the verified domain', async () => {
    const changed = await browser.follow(
      await browser.submit(connectionPage, '/settings', { idp_metadata_url: `${idp.metadataUrl}?v=2` }),
    );
    expect(changed.body).toContain('The settings were saved');
    expect(changed.body).toContain('id="activate-blocked"');

    const tested = await testConnection(browser, changed);
    expect(tested.body).toContain('id="test-passed"');
    const active = await browser.follow(await browser.submit(tested, '/activate', { route_domains: 'on' }));
    expect(active.body).toContain(`okta is active. Sign-ins from ${domain} now go to it.`);
    expect((await gh.container.db.connections.findById(connectionId))?.enabled).toBe(true);
    const routing = await api.expect(200, `/organizations/${organizationId}/routing`);
    expect(routing.rules).toEqual([{ domain, connection: 'okta', priority: 100 }]);
  });

  it('shows health in the portal and the admin API, 404 for another organization', async () => {
    const page = await browser.get(`${gh.url}/portal/sso/health`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('CN=Test IdP');
    const health = await api.expect(200, `/organizations/${organizationId}/connections/okta/health`);
    expect(health).toMatchObject({ key: 'okta', type: 'saml', enabled: true, tested_current_settings: true });
    expect(health.certificates).toEqual([
      expect.objectContaining({ subject: 'CN=Test IdP', state: 'current', expired: false }),
    ]);
    expect(health.last_tested_at).toEqual(expect.any(String));

    const other = await createOrganization(gh, 'Other Co');
    await api.expect(404, `/organizations/${other.id}/connections/okta/health`);
    const otherBrowser = await portalSession(gh, other.id);
    expect((await otherBrowser.get(`${gh.url}/portal/sso/connections/${connectionId}`)).status).toBe(404);
    expect((await otherBrowser.get(`${gh.url}/portal/sso/connections/${connectionId}/mapping`)).status).toBe(
      404,
    );
  });

  it('records a refused answer with a plain reason', async () => {
    const response = await fetch(`${gh.url}/sso/saml/${connectionId}/acs`, {
      method: 'POST',
      body: new URLSearchParams({ SAMLResponse: Buffer.from('<not-saml/>').toString('base64') }),
      redirect: 'manual',
    });
    expect(response.status).toBe(403);
    const health = await gh.container.db.connectionHealth.find(connectionId);
    expect(health?.lastFailureReason).toBe('The IdP sent something that is not a readable SAML response.');
    expect(health?.lastFailureAt).toBeInstanceOf(Date);
  });

  it('shows a failed test’s plain reason on the portal page, not an error page', async () => {
    // The IdP still signs with its old key, but the connection now trusts another certificate.
    await api.expect(200, `/organizations/${organizationId}/connections/okta`, {
      method: 'PATCH',
      json: { idp_certificates: [fixtureKey('attacker').certificate] },
    });
    const page = await browser.get(`${gh.url}/portal/sso/connections/${connectionId}`);
    const result = await testConnection(browser, page);
    expect(result.url).toBe(`${gh.url}/portal/sso/connections/${connectionId}/test`);
    expect(result.body).toContain('id="test-failed"');
    expect(result.body).toContain('did not verify with the certificate we have');
    expect(result.body).not.toContain('id="test-passed"');
  });
});
