import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import {
  answerAuthnRequest,
  SAML_IDP_ENTITY_ID,
  samlIdpCertificate,
  unsolicitedResponse,
  type SamlUser,
} from '../support/saml-partner.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { samlpMetadata } from '../federation/saml/support/samlp-idp.js';

const SECRET = 'saml-app-secret-0123456789abcdef0123';
const SCOPE = 'openid email organization roles';
const IDP_SSO_URL = 'http://127.0.0.1:9/saml/sso';
const INITIATE_LOGIN_URI = 'https://rp.example.test/initiate';

/**
 * SAML sign-in over HTTP with samlp as the partner IdP: SP-initiated (Redirect binding out,
 * POST binding back to the ACS), IdP-initiated into the application's initiate_login_uri,
 * SP metadata, and the answers that must leave no session.
 */
describe('sign-in through an organization’s SAML identity provider', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let config: oidc.Configuration;
  let organizationId: string;
  let connectionId: string;
  let acsUrl: string;
  let spEntityId: string;
  const domain = `${randomUUID().slice(0, 8)}.saml.test`;
  const clientId = `saml-app-${randomUUID()}`;
  const user = (attributes: Record<string, string> = {}): SamlUser => {
    const name = `u${randomUUID().slice(0, 8)}`;
    return { nameId: `okta|${name}`, email: `${name}@${domain}`, attributes };
  };
  const postToAcs = (browser: FormBrowser, fields: Record<string, string>) =>
    browser.request(acsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });

  /** SP-initiated up to the IdP: the AuthnRequest URL Gatehouse redirected the browser to. */
  const toIdp = async (browser: FormBrowser, email: string) => {
    const flow = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { login_hint: email },
      stopAt: (location) => location.startsWith(IDP_SSO_URL),
    });
    expect(flow.page.url).toContain(`${IDP_SSO_URL}?SAMLRequest=`);
    return flow;
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    const organization = await createOrganization(gh, 'Okta Shop', {
      roles: [
        { name: 'member', permissions: ['read'] },
        { name: 'hull', permissions: ['hull:write'] },
      ],
      defaultRole: 'member',
    });
    organizationId = organization.id;
    await gh.container.admin.domains.add(OPERATOR, organizationId, { domain, verified: true });
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'roles'],
      initiate_login_uri: INITIATE_LOGIN_URI,
    });
    const connection = await api.expect(201, `/organizations/${organizationId}/connections`, {
      method: 'POST',
      json: {
        key: 'okta',
        type: 'saml',
        idp_entity_id: SAML_IDP_ENTITY_ID,
        idp_sso_url: IDP_SSO_URL,
        idp_certificates: [samlIdpCertificate()],
        allow_idp_initiated: true,
        idp_initiated_client: clientId,
        attribute_map: { department: 'department' },
      },
    });
    connectionId = connection.id as string;
    expect(connection.service_provider).toMatchObject({
      entity_id_path: `/sso/saml/${connectionId}`,
      acs_path: `/sso/saml/${connectionId}/acs`,
      certificate_expires_at: expect.stringMatching(/^20[3-9]\d-/),
    });
    spEntityId = `${gh.issuer}/sso/saml/${connectionId}`;
    acsUrl = `${spEntityId}/acs`;
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain, connection: 'okta', priority: 1 }], fallback_connection: null },
    });
    await api.expect(200, `/organizations/${organizationId}/provisioning`, {
      method: 'PUT',
      json: { role_rules: [{ condition: "department == 'Hull'", assign_role: 'hull' }] },
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(() => gh?.stop());

  it('publishes the connection’s SP metadata', async () => {
    const response = await fetch(`${spEntityId}/metadata`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await response.text();
    expect(xml).toContain(`entityID="${spEntityId}"`);
    expect(xml).toContain(`Location="${acsUrl}"`);
    expect((await fetch(`${gh.issuer}/sso/saml/con_nope/metadata`)).status).toBe(404);
  });

  it('signs a user in SP-initiated: AuthnRequest out, signed response back to the ACS, tokens to the RP', async () => {
    const browser = new FormBrowser();
    const person = user({ department: 'Hull' });
    const { page, finish } = await toIdp(browser, person.email);
    const fields = await answerAuthnRequest(page.url, acsUrl, spEntityId, person);
    const back = await browser.follow(await postToAcs(browser, fields), (location) =>
      location.startsWith(REDIRECT_URI),
    );
    const tokens = await finish(back.url);
    const provisioned = await gh.container.db.users.findByEmail(person.email);
    expect(await gh.container.db.identities.find(connectionId, person.nameId)).toMatchObject({
      userId: provisioned!.id,
    });
    expect(tokens.claims()).toMatchObject({
      sub: provisioned!.id,
      email: person.email,
      org_id: organizationId,
      roles: ['member', 'hull'],
      idp: connectionId,
    });
  });

  it('refuses a tampered response and a replayed one, leaving no session', async () => {
    const browser = new FormBrowser();
    const person = user();
    const { page } = await toIdp(browser, person.email);
    const fields = await answerAuthnRequest(page.url, acsUrl, spEntityId, person);

    const tampered = Buffer.from(fields.SAMLResponse!, 'base64')
      .toString('utf8')
      .replace(person.email, `ceo@${domain}`);
    const forged = await postToAcs(browser, {
      ...fields,
      SAMLResponse: Buffer.from(tampered).toString('base64'),
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('could not be verified');

    const first = await postToAcs(browser, fields);
    expect(first.status).toBe(303);
    const replayed = await postToAcs(new FormBrowser(), fields);
    expect(replayed.status).toBeGreaterThanOrEqual(400);
    expect(replayed.headers.get('location')).toBeNull();
    expect(await gh.container.db.users.findByEmail(`ceo@${domain}`)).toBeUndefined();
  });

  it('lands an IdP-initiated sign-in in the application, which finishes it with its own request', async () => {
    const browser = new FormBrowser();
    const person = user();
    const posted = await postToAcs(browser, {
      SAMLResponse: await unsolicitedResponse(acsUrl, spEntityId, person),
    });
    expect(posted.status).toBe(303);
    const landing = new URL(posted.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(INITIATE_LOGIN_URI);
    expect(landing.searchParams.get('iss')).toBe(gh.issuer);
    expect(landing.searchParams.get('login_hint')).toBe(person.email);

    // The application starts its own authorization request; no IdP round trip follows.
    const {
      page,
      finish,
    }: {
      page: Page;
      finish: (url: string) => Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
    } = await startAuthorization(config, browser, { scope: SCOPE, extra: { login_hint: person.email } });
    expect(page.url.startsWith(REDIRECT_URI)).toBe(true);
    const tokens = await finish(page.url);
    expect(tokens.claims()).toMatchObject({ email: person.email, org_id: organizationId, idp: connectionId });
  });

  it('fetches IdP metadata from its URL on first use and signs in with what it publishes', async () => {
    const ssoUrl = 'http://127.0.0.1:9/metadata-idp/sso';
    const xml = await samlpMetadata(ssoUrl);
    let fetched = 0;
    const server = createServer((_req, res) => {
      fetched += 1;
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(xml);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const created = await api.expect(201, `/organizations/${organizationId}/connections`, {
        method: 'POST',
        json: { key: 'okta-metadata', type: 'saml', idp_metadata_url: `http://127.0.0.1:${port}/metadata` },
      });
      const id = created.id as string;
      const entityId = `${gh.issuer}/sso/saml/${id}`;
      const browser = new FormBrowser();
      const person = user();
      const { page, finish } = await startAuthorization(config, browser, {
        scope: SCOPE,
        extra: { login_hint: person.email, connection: id },
        stopAt: (location) => location.startsWith(ssoUrl),
      });
      expect(page.url).toContain(`${ssoUrl}?SAMLRequest=`);
      expect(fetched).toBe(1);
      const fields = await answerAuthnRequest(page.url, `${entityId}/acs`, entityId, person);
      const back = await browser.follow(
        await browser.request(`${entityId}/acs`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(fields),
        }),
        (location) => location.startsWith(REDIRECT_URI),
      );
      expect((await finish(back.url)).claims()).toMatchObject({ email: person.email, idp: id });
      expect(fetched).toBe(1);
      expect((await gh.container.db.connections.findById(id))?.upstreamMetadata).toMatchObject({
        entityId: SAML_IDP_ENTITY_ID,
      });
    } finally {
      server.close();
    }
  });

  it('refuses an unsolicited response when the connection does not allow IdP-initiated sign-in', async () => {
    await api.expect(200, `/organizations/${organizationId}/connections/okta`, {
      method: 'PATCH',
      json: { allow_idp_initiated: false },
    });
    try {
      const person = user();
      const posted = await postToAcs(new FormBrowser(), {
        SAMLResponse: await unsolicitedResponse(acsUrl, spEntityId, person),
      });
      expect(posted.status).toBe(403);
      expect(await gh.container.db.users.findByEmail(person.email)).toBeUndefined();
    } finally {
      await api.expect(200, `/organizations/${organizationId}/connections/okta`, {
        method: 'PATCH',
        json: { allow_idp_initiated: true },
      });
    }
  });

  it('replaces the SP key pair on request; the metadata publishes the new certificate', async () => {
    const certificate = async () =>
      /<ds:X509Certificate>([^<]+)</.exec(await (await fetch(`${spEntityId}/metadata`)).text())?.[1];
    const before = await certificate();
    const rotated = await api.expect(200, `/organizations/${organizationId}/connections/okta/sp-credential`, {
      method: 'POST',
    });
    expect(rotated.service_provider.certificate_expires_at).toEqual(expect.any(String));
    const after = await certificate();
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const audit = await gh.container.db.audit.list(
      { organizationIds: [organizationId], action: 'connection.rotate_sp_credential' },
      { limit: 5 },
    );
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('PRIVATE KEY');
  });
});
