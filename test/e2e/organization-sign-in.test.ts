import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid organization roles';

/** Domain policy at sign-in: verified domains auto-join or refuse local passwords. */
describe('organization sign-in policies', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  const domain = () => `${randomUUID().slice(0, 8)}.example.test`;

  beforeAll(async () => {
    gh = await startGatehouse();
    const clientId = `policy-app-${randomUUID()}`;
    await gh.addClient({
      client_id: clientId,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'organization', 'roles'],
    });
    config = await discover(gh.issuer, clientId);
  });
  afterAll(() => gh.stop());

  it('lets a verified-email user of a verified auto-join domain join with the default role', async () => {
    const name = domain();
    const organization = await createOrganization(gh, 'Auto Join', {
      roles: [{ name: 'member', permissions: ['read'] }],
      defaultRole: 'member',
      domainPolicy: { auto_join: true },
    });
    await gh.container.admin.domains.add(OPERATOR, organization.id, { domain: `*.${name}`, verified: true });
    const email = `joiner@eu.${name}`;
    const userId = await gh.addUser(email, PASSWORD);
    await gh.container.db.users.update(userId, { emailVerified: true });

    const { tokens } = await loginWithPassword(config, email, PASSWORD, { scope: SCOPE });
    expect(tokens.claims()).toMatchObject({
      org_id: organization.id,
      roles: ['member'],
      permissions: ['read'],
    });
    const records = await gh.container.db.audit.list(
      { organizationIds: [organization.id], action: 'membership.auto_join' },
      { limit: 10 },
    );
    expect(records).toHaveLength(1);
  });

  it('never auto-joins an unverified email, nor through an unverified domain claim', async () => {
    const name = domain();
    const organization = await createOrganization(gh, 'Cautious', { domainPolicy: { auto_join: true } });
    await gh.container.admin.domains.add(OPERATOR, organization.id, { domain: name, verified: false });
    const unverifiedDomainUser = `a@${name}`;
    const id = await gh.addUser(unverifiedDomainUser, PASSWORD);
    await gh.container.db.users.update(id, { emailVerified: true });
    expect(
      (await loginWithPassword(config, unverifiedDomainUser, PASSWORD, { scope: SCOPE })).tokens.claims()
        ?.org_id,
    ).toBeUndefined();

    await gh.container.admin.domains.verify(OPERATOR, organization.id, name, 'operator');
    const unverifiedEmail = `b@${name}`;
    await gh.addUser(unverifiedEmail, PASSWORD);
    expect(
      (await loginWithPassword(config, unverifiedEmail, PASSWORD, { scope: SCOPE })).tokens.claims()?.org_id,
    ).toBeUndefined();
  });

  it('refuses local passwords for a domain whose organization forbids them, on the email page', async () => {
    const name = domain();
    const organization = await createOrganization(gh, 'SSO Only', {
      domainPolicy: { allow_local_passwords: false },
    });
    await gh.container.admin.domains.add(OPERATOR, organization.id, { domain: name, verified: true });
    const email = `someone@${name}`;
    await gh.addUser(email, PASSWORD);

    const browser = new FormBrowser();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const emailPage = await browser.follow(await browser.get(url.href));
    const refused = await browser.submit(emailPage, '/identify', { email });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('single sign-on');
    // Posting straight to the password step is refused the same way.
    const direct = await browser.submit(emailPage, '/identify', { email: 'nobody@example.org' });
    const bypass = await browser.submit(direct, '/login', { email, password: PASSWORD });
    expect(bypass.status).toBe(403);
    expect(bypass.body).toContain('single sign-on');
  });

  it('answers prompt=none with interaction_required when the organization must be chosen', async () => {
    const email = `multi-${randomUUID()}@example.org`;
    const userId = await gh.addUser(email, PASSWORD);
    const first = await createOrganization(gh, 'First', { roles: [{ name: 'r', permissions: [] }] });
    const second = await createOrganization(gh, 'Second', { roles: [{ name: 'r', permissions: [] }] });
    for (const org of [first, second]) {
      await gh.container.admin.memberships.add(OPERATOR, org.id, {
        user_id: userId,
        roles: ['r'],
        status: 'active',
      });
    }
    const browser = new FormBrowser();
    await loginWithPassword(config, email, PASSWORD, { scope: SCOPE, browser, pick: first.id });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      prompt: 'none',
      organization: second.slug,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const answer = await browser.follow(await browser.get(url.href), (location) =>
      location.startsWith(REDIRECT_URI),
    );
    expect(new URL(answer.url).searchParams.get('error')).toBe('interaction_required');
  });
});
