import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type * as oidc from 'openid-client';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { connectPartnerIdp, type PartnerIdp } from '../support/partner-idp.js';
import {
  atRelyingParty,
  discover,
  loginThroughPartner,
  REDIRECT_URI,
  startAuthorization,
} from '../support/relying-party.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

const SECRET = 'federated-app-secret-0123456789abcdef';
const API = 'https://api.federated.test';
const SCOPE = 'openid email profile organization roles';

/**
 * The whole chain over HTTP: RP -> Gatehouse -> partner IdP (a second oidc-provider) ->
 * Gatehouse -> RP, with home realm discovery, JIT provisioning and role rules on the way.
 */
describe('sign-in through an organization’s OIDC identity provider', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let partner: PartnerIdp;
  let config: oidc.Configuration;
  let organizationId: string;
  let connectionId: string;
  const domain = `${randomUUID().slice(0, 8)}.acme.test`;
  const clientId = `federated-app-${randomUUID()}`;

  const partnerAccount = (claims: Record<string, unknown>) => {
    const id = `p-${randomUUID().slice(0, 8)}`;
    partner.accounts.set(id, { email_verified: true, ...claims });
    return id;
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    const organization = await createOrganization(gh, 'Acme', {
      roles: [
        { name: 'engineer', permissions: ['code:read'] },
        { name: 'cargo', permissions: ['cargo:write'] },
        { name: 'lead', permissions: ['*'], admin: true },
      ],
      defaultRole: 'engineer',
    });
    organizationId = organization.id;
    await gh.container.admin.domains.add(OPERATOR, organizationId, { domain, verified: true });
    ({ partner, connectionId } = await connectPartnerIdp(api, gh.issuer, organizationId, {
      attribute_map: { dept: 'department' },
    }));
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain, connection: 'partner', priority: 1 }], fallback_connection: null },
    });
    await api.expect(200, `/organizations/${organizationId}/provisioning`, {
      method: 'PUT',
      json: { role_rules: [{ condition: "department in ['Cargo', 'Hull']", assign_role: 'cargo' }] },
    });
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'profile', 'organization', 'roles'],
      resources: [API],
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(async () => {
    await partner?.stop();
    await gh?.stop();
  });

  it('signs a new user in through the partner, provisions them and issues tenant-scoped tokens', async () => {
    const email = `jane.${randomUUID().slice(0, 6)}@${domain}`;
    const account = partnerAccount({ email, name: 'Jane Doe', dept: 'Cargo' });
    partner.amr = ['pwd', 'mfa'];
    const { tokens } = await loginThroughPartner(config, email, account, {
      scope: SCOPE,
      extra: { resource: API },
    });

    const user = await gh.container.db.users.findByEmail(email);
    expect(user).toMatchObject({ emailVerified: true, name: 'Jane Doe', passwordHash: null });
    const identity = await gh.container.db.identities.find(connectionId, account);
    expect(identity?.userId).toBe(user!.id);
    expect(tokens.claims()).toMatchObject({
      sub: user!.id,
      email,
      org_id: organizationId,
      roles: ['engineer', 'cargo'],
      idp: connectionId,
      amr: ['pwd', 'mfa'],
    });
    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: gh.issuer, audience: API });
    expect(payload).toMatchObject({
      sub: user!.id,
      org_id: organizationId,
      roles: ['engineer', 'cargo'],
      idp: connectionId,
      amr: ['pwd', 'mfa'],
    });
  });

  it('goes straight to the partner when the application sends login_hint, and updates rule roles on later sign-ins', async () => {
    const email = `omar.${randomUUID().slice(0, 6)}@${domain}`;
    const account = partnerAccount({ email, dept: 'Cargo' });
    partner.amr = ['pwd'];
    const first = await loginThroughPartner(config, email, account, {
      scope: SCOPE,
      extra: { login_hint: email },
    });
    expect(first.tokens.claims()).toMatchObject({ roles: ['engineer', 'cargo'] });

    // The IdP moves the user to another department; an administrator also made them a lead.
    partner.accounts.set(account, { email, email_verified: true, dept: 'Finance' });
    const user = await gh.container.db.users.findByEmail(email);
    await gh.container.admin.memberships.update(OPERATOR, organizationId, user!.id, {
      roles: ['engineer', 'cargo', 'lead'],
    });
    const second = await loginThroughPartner(config, email, account, {
      scope: SCOPE,
      extra: { login_hint: email },
    });
    expect(second.tokens.claims()).toMatchObject({ roles: ['engineer', 'lead'], idp: connectionId });
    expect(second.tokens.claims()?.amr).toEqual(['pwd']);
  });

  it('refuses an IdP asserting an email of a domain its organization has not verified, and creates nobody', async () => {
    const other = await createOrganization(gh, 'Other');
    const otherDomain = `${randomUUID().slice(0, 8)}.other.test`;
    await gh.container.admin.domains.add(OPERATOR, other.id, { domain: otherDomain, verified: true });
    const victim = `ceo@${otherDomain}`;
    const account = partnerAccount({ email: victim });
    const browser = new FormBrowser();
    const { page: emailPage } = await startAuthorization(config, browser, { scope: SCOPE });
    let page = await browser.follow(
      await browser.submit(emailPage, '/identify', { email: `someone@${domain}` }),
      atRelyingParty,
    );
    page = await browser.follow(await browser.submit(page, '/login', { login: account }), atRelyingParty);
    expect(page.status).toBe(403);
    expect(page.body).toContain('Sign-in refused');
    expect(await gh.container.db.users.findByEmail(victim)).toBeUndefined();
    expect(await gh.container.db.identities.find(connectionId, account)).toBeUndefined();
  });

  /** Signs in at the partner and stops before Gatehouse's callback. */
  const toCallback = async () => {
    const email = `cb.${randomUUID().slice(0, 6)}@${domain}`;
    const account = partnerAccount({ email });
    const browser = new FormBrowser();
    const { page: emailPage } = await startAuthorization(config, browser, { scope: SCOPE });
    const page = await browser.follow(
      await browser.submit(emailPage, '/identify', { email }),
      atRelyingParty,
    );
    const atCallback = (location: string) => location.includes('/sso/oidc/');
    const callback = (
      await browser.follow(await browser.submit(page, '/login', { login: account }), atCallback)
    ).url;
    expect(callback).toContain(`/sso/oidc/${connectionId}/callback?`);
    return { browser, callback };
  };

  it('refuses an answer arriving at another connection’s redirect URI (mix-up) and burns its state', async () => {
    const { browser, callback } = await toCallback();
    const mixedUp = await browser.get(callback.replace(connectionId, 'con_other'));
    expect(mixedUp.status).toBe(400);
    expect((await browser.get(callback)).status).toBe(400);
  });

  it('answers a replayed or forged callback with an error page and no session', async () => {
    const { browser, callback } = await toCallback();
    const used = await browser.get(callback);
    expect(used.status).toBe(303);
    const replayed = await browser.get(callback);
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain('expired or was already used');
    expect(replayed.headers.get('set-cookie') ?? '').not.toContain('_session=');

    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-a-state');
    expect((await browser.get(forged.href)).status).toBe(400);
  });

  it('does not finish a sign-in in a browser other than the one that started it', async () => {
    const email = `csrf.${randomUUID().slice(0, 6)}@${domain}`;
    const account = partnerAccount({ email });
    const attacker = new FormBrowser();
    const { page: emailPage } = await startAuthorization(config, attacker, { scope: SCOPE });
    let page = await attacker.follow(
      await attacker.submit(emailPage, '/identify', { email }),
      atRelyingParty,
    );
    const toTicket = (location: string) => location.includes('/sso/complete');
    page = await attacker.follow(await attacker.submit(page, '/login', { login: account }), toTicket);
    expect(page.url).toContain('/sso/complete?ticket=');
    // The victim's browser has no interaction cookie for that sign-in.
    const victim = await new FormBrowser().get(page.url);
    expect(victim.status).toBeGreaterThanOrEqual(400);
    expect(victim.headers.get('location')).toBeNull();
  });

  it('shows an error page when the partner does not sign the user in', async () => {
    const email = `nobody.${randomUUID().slice(0, 6)}@${domain}`;
    const browser = new FormBrowser();
    const { page: emailPage } = await startAuthorization(config, browser, { scope: SCOPE });
    let page = await browser.follow(await browser.submit(emailPage, '/identify', { email }), atRelyingParty);
    page = await browser.follow(
      await browser.submit(page, '/login', { login: 'no-such-account' }),
      atRelyingParty,
    );
    expect(page.status).toBe(403);
    expect(page.body).toContain('did not sign you in');
  });

  it('keeps local passwords for emails of domains no organization verified', async () => {
    const browser = new FormBrowser();
    const { page: emailPage } = await startAuthorization(config, browser, { scope: SCOPE });
    const page = await browser.submit(emailPage, '/identify', {
      email: `x@${randomUUID().slice(0, 8)}.elsewhere.test`,
    });
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="password"');
  });

  it('holds a new membership for approval when the organization asks for it', async () => {
    await api.expect(200, `/organizations/${organizationId}/provisioning`, {
      method: 'PUT',
      json: { approval: 'org_admin' },
    });
    try {
      const email = `pending.${randomUUID().slice(0, 6)}@${domain}`;
      const account = partnerAccount({ email });
      const browser = new FormBrowser();
      const { page: emailPage } = await startAuthorization(config, browser, { scope: SCOPE });
      let page = await browser.follow(
        await browser.submit(emailPage, '/identify', { email }),
        atRelyingParty,
      );
      page = await browser.follow(await browser.submit(page, '/login', { login: account }), atRelyingParty);
      expect(page.status).toBe(403);
      expect(page.body).toContain('Waiting for approval');
      const user = await gh.container.db.users.findByEmail(email);
      expect(await gh.container.db.memberships.find(user!.id, organizationId)).toMatchObject({
        status: 'pending',
      });
    } finally {
      await api.expect(200, `/organizations/${organizationId}/provisioning`, {
        method: 'PUT',
        json: { role_rules: [{ condition: "department in ['Cargo', 'Hull']", assign_role: 'cargo' }] },
      });
    }
  });

  it('authenticates at the partner with private_key_jwt, signed by the key Gatehouse publishes', async () => {
    const { partner: jwtPartner, connectionId: jwtConnection } = await connectPartnerIdp(
      api,
      gh.issuer,
      organizationId,
      { key: 'partner-jwt' },
      { jwksUri: `${gh.issuer}/jwks` },
    );
    try {
      const email = `jwt.${randomUUID().slice(0, 6)}@${domain}`;
      const account = `p-${randomUUID().slice(0, 8)}`;
      jwtPartner.accounts.set(account, { email, email_verified: true });
      const browser = new FormBrowser();
      const { page: first, finish } = await startAuthorization(config, browser, {
        scope: SCOPE,
        extra: { login_hint: email, connection: jwtConnection },
      });
      expect(first.body).toContain('Partner sign-in');
      const back = await browser.follow(
        await browser.submit(first, '/login', { login: account }),
        atRelyingParty,
      );
      expect((await finish(back.url)).claims()).toMatchObject({ email, idp: jwtConnection });
    } finally {
      await jwtPartner.stop();
    }
  });

  it('shows the button of the organization owning the application, which goes to its IdP', async () => {
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [{ domain, connection: 'partner', priority: 1 }], fallback_connection: 'partner' },
    });
    await api.expect(200, `/organizations/${organizationId}`, {
      method: 'PATCH',
      json: { branding: { display_name: 'Acme Workforce', logo_url: '/assets/acme.png' } },
    });
    const ownedId = `acme-portal-${randomUUID()}`;
    await gh.addClient(
      {
        client_id: ownedId,
        client_secret: SECRET,
        redirect_uris: [REDIRECT_URI],
        scopes: ['openid', 'email'],
      },
      organizationId,
    );
    const owned = await discover(gh.issuer, ownedId, SECRET);
    try {
      const { page: plain } = await startAuthorization(config, new FormBrowser(), { scope: SCOPE });
      expect(plain.body).not.toContain('Acme Workforce');

      const browser = new FormBrowser();
      const { page } = await startAuthorization(owned, browser, { scope: 'openid email' });
      expect(page.body).toContain('Sign in with Acme Workforce');
      expect(page.body).toContain('src="/assets/acme.png"');
      const clicked = await browser.submit(page, '/sso');
      expect(clicked.status).toBe(302);
      expect(clicked.headers.get('location')!.startsWith(`${partner.issuer}/auth?`)).toBe(true);
    } finally {
      await api.expect(200, `/organizations/${organizationId}/routing`, {
        method: 'PUT',
        json: { rules: [{ domain, connection: 'partner', priority: 1 }], fallback_connection: null },
      });
    }
  });

  it('lists and unlinks a user’s identities through the admin API; the next sign-in links again', async () => {
    const email = `link.${randomUUID().slice(0, 6)}@${domain}`;
    const account = partnerAccount({ email });
    await loginThroughPartner(config, email, account, { scope: SCOPE });
    const user = await gh.container.db.users.findByEmail(email);
    const listed = await api.expect(200, `/users/${user!.id}/identities`);
    expect(listed.data).toEqual([
      expect.objectContaining({ connection_id: connectionId, connection: 'partner', subject: account }),
    ]);

    const other = await createOrganization(gh, 'Elsewhere');
    const outsider = adminApi(gh, await adminKey(gh, other.id));
    expect((await outsider.call(`/users/${user!.id}/identities`)).status).toBe(404);

    const identityId = listed.data[0].id as string;
    expect((await api.call(`/users/${user!.id}/identities/${identityId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await api.call(`/users/${user!.id}/identities/${identityId}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    const records = await gh.container.db.audit.list(
      { organizationIds: [organizationId], action: 'identity.unlink', targetId: identityId },
      { limit: 5 },
    );
    expect(records).toHaveLength(1);

    const again = await loginThroughPartner(config, email, account, { scope: SCOPE });
    expect(again.tokens.claims()?.sub).toBe(user!.id);
    expect((await api.expect(200, `/users/${user!.id}/identities`)).data).toHaveLength(1);
  });

  it('counts the partner’s own MFA where the organization trusts it, and asks for a second factor where not', async () => {
    await gh.container.admin.organizations.update(OPERATOR, organizationId, {
      security_policies: { mfa: 'required', trust_upstream_mfa: true },
    });
    try {
      const email = `mfa.${randomUUID().slice(0, 6)}@${domain}`;
      const account = partnerAccount({ email });
      partner.amr = ['pwd', 'mfa'];
      const trusted = await loginThroughPartner(config, email, account, {
        scope: SCOPE,
        extra: { resource: API },
      });
      const method = { acr: 'urn:gatehouse:mfa', amr: ['pwd', 'mfa'] };
      expect(trusted.tokens.claims()).toMatchObject(method);
      const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
      const { payload } = await jwtVerify(trusted.tokens.access_token, jwks, {
        issuer: gh.issuer,
        audience: API,
      });
      expect(payload).toMatchObject(method);

      // The IdP signed in with a password only: Gatehouse asks for its own second factor.
      partner.amr = ['pwd'];
      const browser = new FormBrowser();
      const { page: first } = await startAuthorization(config, browser, {
        scope: SCOPE,
        extra: { login_hint: email },
      });
      const afterPartner = await browser.follow(
        await browser.submit(first, '/login', { login: account }),
        atRelyingParty,
      );
      expect(afterPartner.body).toContain('Set up two-step verification');
    } finally {
      partner.amr = ['pwd'];
      await gh.container.admin.organizations.update(OPERATOR, organizationId, { security_policies: {} });
    }
  });
});
