import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import {
  answerAuthnRequest,
  BINDING,
  startSamlIdp,
  type SamlIdpServer,
  type SamlUser,
} from '../support/saml-partner.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

const SECRET = 'slo-app-secret-0123456789abcdef0123456';
const SCOPE = 'openid email organization offline_access';
const POST_LOGOUT = 'http://127.0.0.1:9/signed-out';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * SAML Single Logout with samlp as the partner IdP, over HTTP: RP-initiated logout carried on to
 * the IdP (signed LogoutRequest by HTTP-Redirect, its signed LogoutResponse back), and the IdP's
 * own logout (signed LogoutRequest by HTTP-POST) ending the Gatehouse session and the RP's
 * refresh token, answered with a signed LogoutResponse samlp verifies.
 */
describe('SAML Single Logout with the organization’s IdP', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let config: oidc.Configuration;
  let organizationId: string;
  const domain = `${randomUUID().slice(0, 8)}.slo.test`;
  const clientId = `slo-app-${randomUUID()}`;
  const idps: SamlIdpServer[] = [];

  /** A connection to `idp`, known from its metadata (which names its SingleLogoutService). */
  const connect = async (idp: SamlIdpServer, key: string) => {
    const connection = await api.expect(201, `/organizations/${organizationId}/connections`, {
      method: 'POST',
      json: { key, type: 'saml', idp_metadata_xml: await idp.metadata() },
    });
    const id = connection.id as string;
    expect(connection.service_provider).toMatchObject({ slo_path: `/sso/saml/${id}/slo` });
    const spEntityId = `${gh.issuer}/sso/saml/${id}`;
    return { id, spEntityId, acsUrl: `${spEntityId}/acs`, sloUrl: `${spEntityId}/slo` };
  };
  type Connection = Awaited<ReturnType<typeof connect>>;

  const person = (): SamlUser => {
    const name = `u${randomUUID().slice(0, 8)}`;
    return { nameId: `okta|${name}`, email: `${name}@${domain}`, sessionIndex: `_session-${name}` };
  };

  /** Signs `user` in through the connection, and tells samlp the SP now has a session of theirs. */
  const signIn = async (
    idp: SamlIdpServer,
    connection: Connection,
    user: SamlUser,
    binding: string = BINDING.redirect,
  ) => {
    const browser = new FormBrowser();
    const { page, finish } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { login_hint: user.email, connection: connection.id },
      stopAt: (location) => location.startsWith(idp.ssoUrl),
    });
    const fields = await answerAuthnRequest(page.url, connection.acsUrl, connection.spEntityId, user);
    const back = await browser.follow(
      await browser.request(connection.acsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      }),
      (location) => location.startsWith(REDIRECT_URI),
    );
    const tokens = await finish(back.url);
    const record = await gh.container.db.connections.findById(connection.id);
    idp.addParticipant({
      serviceProviderId: connection.spEntityId,
      nameId: user.nameId,
      sessionIndex: user.sessionIndex!,
      serviceProviderLogoutURL: connection.sloUrl,
      cert: record!.spCertificate!,
      binding,
    });
    return { browser, tokens };
  };

  /** A new authorization request in the browser: with no session left, it asks who is signing in. */
  const asksForLogin = async (browser: FormBrowser) => {
    const { page } = await startAuthorization(config, browser, { scope: SCOPE });
    return page.status === 200 && page.body.includes('/identify');
  };

  const auditOf = async (userId: string) =>
    gh.container.db.audit.list(
      { organizationIds: [organizationId], action: 'logout.upstream', targetId: userId },
      { limit: 10 },
    );

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    const organization = await createOrganization(gh, 'Slo Shop', {
      roles: [{ name: 'member', permissions: ['read'] }],
      defaultRole: 'member',
    });
    organizationId = organization.id;
    await gh.container.admin.domains.add(OPERATOR, organizationId, { domain, verified: true });
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: [POST_LOGOUT],
      scopes: ['openid', 'email', 'organization', 'offline_access'],
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(async () => {
    await Promise.all(idps.map((idp) => idp.close()));
    await gh?.stop();
  });

  it('publishes the SingleLogoutService in the SP metadata', async () => {
    const idp = await startSamlIdp();
    idps.push(idp);
    const connection = await connect(idp, 'slo-metadata');
    const xml = await (await fetch(`${connection.spEntityId}/metadata`)).text();
    expect(xml).toContain(`Binding="${BINDING.redirect}" Location="${connection.sloUrl}"`);
    expect(xml).toContain(`Binding="${BINDING.post}" Location="${connection.sloUrl}"`);
    expect(xml).toContain('use="signing"');
  });

  it('RP-initiated logout reaches the IdP and comes back: LogoutRequest out, LogoutResponse in, then the RP', async () => {
    const idp = await startSamlIdp({ binding: 'redirect' });
    idps.push(idp);
    const connection = await connect(idp, 'slo-sp');
    const user = person();
    const { browser, tokens } = await signIn(idp, connection, user);
    const userId = tokens.claims()!.sub;

    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'bye',
    });
    const confirm = await browser.get(logout.href);
    expect(confirm.status).toBe(200);
    const confirmed = await browser.submit(confirm, '/session/end/confirm', { logout: 'yes' });
    expect(confirmed.status).toBe(303);
    const toIdp = new URL(confirmed.headers.get('location')!);
    expect(`${toIdp.origin}${toIdp.pathname}`).toBe(idp.logoutUrl);
    expect(toIdp.searchParams.has('SAMLRequest')).toBe(true);
    expect(toIdp.searchParams.has('Signature')).toBe(true);

    const landed = await browser.follow(confirmed, (location) => location.startsWith(POST_LOGOUT));
    expect(landed.url).toBe(`${POST_LOGOUT}?state=bye`);
    // samlp verified the LogoutRequest (signature, session participant by NameID + SessionIndex)
    // and took the participant off its list.
    expect(idp.errors).toEqual([]);
    expect(idp.participants()).toEqual([]);
    expect(await asksForLogin(browser)).toBe(true);
    const audit = await auditOf(userId);
    expect(audit.map((entry) => (entry.after as { result: string }).result).sort()).toEqual([
      'requested',
      'success',
    ]);
  });

  it('RP-initiated logout by HTTP-POST both ways (slo_binding: post)', async () => {
    const idp = await startSamlIdp({ binding: 'post' });
    idps.push(idp);
    const connection = await connect(idp, 'slo-sp-post');
    await api.expect(200, `/organizations/${organizationId}/connections/slo-sp-post`, {
      method: 'PATCH',
      json: { slo_binding: 'post' },
    });
    const { browser, tokens } = await signIn(idp, connection, person(), BINDING.post);
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'posted',
    });
    const confirmed = await browser.submit(await browser.get(logout.href), '/session/end/confirm', {
      logout: 'yes',
    });
    // An auto-submitting form carries the signed LogoutRequest to the IdP...
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toContain('/assets/saml-post.js');
    const answered = await browser.submit(confirmed, idp.logoutUrl);
    expect(idp.errors).toEqual([]);
    // ...and samlp's own form brings its signed LogoutResponse back.
    const back = await browser.submit(answered, connection.sloUrl);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${POST_LOGOUT}?state=posted`);
    expect(await asksForLogin(browser)).toBe(true);
  });

  it('shows that the IdP’s sign-out may not have finished when its LogoutResponse cannot be verified', async () => {
    const idp = await startSamlIdp({ binding: 'redirect' });
    idps.push(idp);
    const connection = await connect(idp, 'slo-sp-bad');
    const { browser, tokens } = await signIn(idp, connection, person());
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
    });
    const confirmed = await browser.submit(await browser.get(logout.href), '/session/end/confirm', {
      logout: 'yes',
    });
    // The IdP answers, but its answer is changed on the way (the signature no longer matches).
    const answer = await browser.get(confirmed.headers.get('location')!);
    const forged = answer.headers.get('location')!.replace(/SAMLResponse=([^&]{4})/, 'SAMLResponse=AAAA');
    const page = await browser.get(forged);
    expect(page.status).toBe(400);
    expect(page.body).toContain('could not be processed');
    expect(await asksForLogin(browser)).toBe(true);
  });

  it('says the IdP’s sign-out may not have finished when the IdP answers with an error status', async () => {
    const idp = await startSamlIdp({ failOwnLogout: true });
    idps.push(idp);
    const connection = await connect(idp, 'slo-sp-partial');
    const { browser, tokens } = await signIn(idp, connection, person());
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
      state: 'partial',
    });
    const confirmed = await browser.submit(await browser.get(logout.href), '/session/end/confirm', {
      logout: 'yes',
    });
    const page = await browser.follow(confirmed);
    expect(page.url.startsWith(connection.sloUrl)).toBe(true);
    expect(page.status).toBe(200);
    expect(page.body).toContain('may not have finished');
    expect(page.body).toContain(`href="${POST_LOGOUT}?state=partial"`);
    expect(await asksForLogin(browser)).toBe(true);
    const audit = await auditOf(tokens.claims()!.sub);
    expect(audit.map((entry) => entry.after)).toContainEqual({
      connection_id: connection.id,
      direction: 'sp_initiated',
      result: 'failed',
      status: 'urn:oasis:names:tc:SAML:2.0:status:PartialLogout',
    });
  });

  it('IdP-initiated logout ends the Gatehouse session and the RP’s refresh token; samlp gets a signed Success', async () => {
    const idp = await startSamlIdp({ binding: 'post' });
    idps.push(idp);
    const connection = await connect(idp, 'slo-idp');
    const user = person();
    const { browser, tokens } = await signIn(idp, connection, user, BINDING.post);
    expect(tokens.refresh_token).toBeTruthy();
    const userId = tokens.claims()!.sub;

    // The IdP's logout page posts a signed LogoutRequest to our SingleLogoutService...
    const started = await browser.get(idp.logoutUrl);
    const toSp: Page = await browser.submit(started, connection.sloUrl);
    // ...which answers with a signed LogoutResponse posted back to the IdP.
    expect(toSp.status).toBe(200);
    const done = await browser.submit(toSp, idp.logoutUrl);
    expect(done.status).toBe(200);
    expect(idp.errors).toEqual([]);
    expect(idp.logoutResponses).toEqual([{ status: SUCCESS, issuer: connection.spEntityId }]);

    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect(await asksForLogin(browser)).toBe(true);
    const [entry] = await auditOf(userId);
    expect(entry).toMatchObject({
      actor: { type: 'system', id: `sso:${connection.id}` },
      after: {
        connection_id: connection.id,
        direction: 'idp_initiated',
        result: 'success',
        sessions_ended: 1,
      },
    });
  });

  it('refuses an IdP-initiated LogoutRequest that is not signed: Requester status, the session stays', async () => {
    const idp = await startSamlIdp({ binding: 'redirect' });
    idps.push(idp);
    const connection = await connect(idp, 'slo-unsigned');
    const user = person();
    const { tokens } = await signIn(idp, connection, user);
    const started = await new FormBrowser().get(idp.logoutUrl);
    const signed = new URL(started.headers.get('location')!);
    expect(`${signed.origin}${signed.pathname}`).toBe(connection.sloUrl);
    signed.searchParams.delete('Signature');
    signed.searchParams.delete('SigAlg');

    const refused = await fetch(signed, { redirect: 'manual' });
    expect(refused.status).toBe(303);
    const back = new URL(refused.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(idp.logoutUrl);
    const answered = await fetch(back, { redirect: 'manual' });
    expect(answered.status).toBe(200);
    expect(idp.logoutResponses).toEqual([
      { status: 'urn:oasis:names:tc:SAML:2.0:status:Requester', issuer: connection.spEntityId },
    ]);
    // Nothing ended: the refresh token still works.
    expect((await oidc.refreshTokenGrant(config, tokens.refresh_token!)).access_token).toBeTruthy();
  });

  it('answers a message it cannot read with the error page (400), and an unknown connection with 404', async () => {
    const idp = await startSamlIdp();
    idps.push(idp);
    const connection = await connect(idp, 'slo-garbage');
    const garbage = await fetch(`${connection.sloUrl}?SAMLRequest=not-base64!`);
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain('saml_malformed');
    const posted = await fetch(connection.sloUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ RelayState: 'x' }),
    });
    expect(posted.status).toBe(400);
    expect((await fetch(`${gh.issuer}/sso/saml/con_nope/slo?SAMLRequest=AAAA`)).status).toBe(404);
  });

  it('is switched off per connection: no SingleLogoutService published, and logout stays local', async () => {
    const idp = await startSamlIdp();
    idps.push(idp);
    const connection = await connect(idp, 'slo-off');
    await api.expect(200, `/organizations/${organizationId}/connections/slo-off`, {
      method: 'PATCH',
      json: { single_logout: false },
    });
    expect(await (await fetch(`${connection.spEntityId}/metadata`)).text()).not.toContain(
      'SingleLogoutService',
    );
    const { browser, tokens } = await signIn(idp, connection, person());
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: POST_LOGOUT,
    });
    const confirmed = await browser.submit(await browser.get(logout.href), '/session/end/confirm', {
      logout: 'yes',
    });
    expect(confirmed.headers.get('location')).toBe(POST_LOGOUT);
    expect(idp.participants()).toHaveLength(1);
  });
});
