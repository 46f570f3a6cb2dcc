import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { planPartnerIdp, startPartnerIdp, type PartnerIdp } from '../support/partner-idp.js';
import { startPortalSamlIdp, type PortalSamlIdp } from '../support/portal-saml-idp.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';

/** Screenshots of each portal step, kept as test artifacts (gitignored). */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'portal');

/**
 * An organization's administrator sets up SSO in the portal in real Chromium: the guide, the
 * IdP's details, "Test connection" (a real sign-in at the IdP), the mapping preview, activation;
 * then a person of that organization signs in to an application (the demo relying party) through
 * the new connection. Once with a SAML IdP (samlp), once with an OIDC IdP (oidc-provider).
 */
describe('portal SSO setup in a real browser', () => {
  let gh: TestGatehouse;
  let browser: Browser;
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** A portal session for the organization's SSO task, through a one-time setup link. */
  const openPortal = async (organizationId: string) => {
    const { secret } = await gh.container.portal.links.issue(OPERATOR, organizationId, {
      intent: 'sso',
      expires_in: 3600,
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gh.issuer}/portal/setup/${secret}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${gh.issuer}/portal/sso`);
    return page;
  };

  /** A person signs in to the demo application in a browser of their own. */
  const signInToApp = async (email: string, atIdp?: (page: Page) => Promise<void>) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gh.issuer}/demo`);
    await page.getByRole('button', { name: 'Sign in with Gatehouse' }).click();
    await page.waitForURL(/\/interaction\//);
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    if (atIdp) await atIdp(page);
    await page.waitForURL(/\/demo\/callback/);
    const claims = JSON.parse((await page.locator('#id-token').textContent()) ?? '{}') as Record<
      string,
      unknown
    >;
    await context.close();
    return claims;
  };

  const newOrganization = async (name: string, domain: string) => {
    const organization = await createOrganization(gh, name, {
      roles: [
        { name: 'member', permissions: ['read'] },
        { name: 'underwriter', permissions: ['write'] },
      ],
      defaultRole: 'member',
    });
    await gh.container.admin.domains.add(OPERATOR, organization.id, { domain, verified: true });
    return organization;
  };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    gh = await startGatehouse({ DEMO: 'true' });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.stop();
  }, 60_000);

  it('SAML: guide, metadata URL, test connection, mapping preview, activation, then a user signs in', async () => {
    const domain = `${randomUUID().slice(0, 8)}.portal-saml.test`;
    const organization = await newOrganization('Portal SAML Browser Co', domain);
    const idp: PortalSamlIdp = await startPortalSamlIdp({
      nameId: 'admin-01',
      email: `admin@${domain}`,
      attributes: { memberOf: ['Underwriters'] },
    });
    try {
      const page = await openPortal(organization.id);
      await shot(page, 'saml-01-overview');
      await page.getByRole('link', { name: 'Okta' }).click();
      await expect(page.locator('#sp-acs-url').textContent()).resolves.toMatch(
        /\/sso\/saml\/con_[\w-]+\/acs$/,
      );
      await shot(page, 'saml-02-guide');
      await page.getByLabel('Connection name').fill('okta');
      await page.getByLabel('IdP metadata URL').fill(idp.metadataUrl);
      await page.getByRole('button', { name: 'Create connection' }).click();
      await page.waitForURL(/\/portal\/sso\/connections\/con_/);
      const connectionId = new URL(page.url()).pathname.split('/').pop()!;
      await expect(page.locator('#status').textContent()).resolves.toBe('Not active');
      await shot(page, 'saml-03-connection');

      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.waitForURL(`${gh.issuer}/portal/sso/connections/${connectionId}/test`);
      await expect(page.locator('#test-passed').isVisible()).resolves.toBe(true);
      await expect(page.locator('#mapped-email').textContent()).resolves.toBe(`admin@${domain}`);
      await shot(page, 'saml-04-test-result');

      await page.getByRole('link', { name: 'Edit the attribute and role mapping' }).click();
      await page.getByLabel('IdP attribute 1', { exact: true }).fill('memberOf');
      await page.getByLabel('Gatehouse attribute 1', { exact: true }).fill('groups');
      await page.getByLabel('Condition 1', { exact: true }).fill("groups contains 'Underwriters'");
      await page.getByLabel('Role 1', { exact: true }).fill('underwriter');
      await page.getByRole('button', { name: 'Preview' }).click();
      await expect(page.locator('#mapped-roles').textContent()).resolves.toBe('member, underwriter');
      await shot(page, 'saml-05-mapping-preview');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.locator('#result').textContent()).resolves.toContain('The mapping was saved');

      await page.goto(`${gh.issuer}/portal/sso/connections/${connectionId}`);
      await page.getByRole('button', { name: 'Activate' }).click();
      await expect(page.locator('#result').textContent()).resolves.toContain(
        `Sign-ins from ${domain} now go to it`,
      );
      await expect(page.locator('#status').textContent()).resolves.toBe('Active');
      await shot(page, 'saml-06-active');
      await page.goto(`${gh.issuer}/portal/sso/health`);
      await shot(page, 'saml-07-health');

      const email = `grace@${domain}`;
      idp.user = { nameId: 'grace-01', email, attributes: { memberOf: ['Underwriters'] } };
      const claims = await signInToApp(email);
      expect(claims).toMatchObject({ idp: connectionId, amr: ['fed'] });
      const user = await gh.container.db.users.findByEmail(email);
      expect(await gh.container.db.memberships.find(user!.id, organization.id)).toMatchObject({
        status: 'active',
        roles: ['member', 'underwriter'],
      });
      expect((await gh.container.db.connectionHealth.find(connectionId))?.lastSuccessAt).toBeInstanceOf(Date);
    } finally {
      await idp.close();
    }
  }, 120_000);

  it('OIDC: guide, discovery URL and client, test connection at the IdP, activation, then a user signs in', async () => {
    const domain = `${randomUUID().slice(0, 8)}.portal-oidc.test`;
    const organization = await newOrganization('Portal OIDC Browser Co', domain);
    const plan = await planPartnerIdp();
    let partner: PartnerIdp | undefined;
    try {
      const page = await openPortal(organization.id);
      await page.getByRole('link', { name: 'Another OpenID Connect provider' }).click();
      const redirectUri = (await page.locator('#redirect-uri').textContent()) ?? '';
      expect(redirectUri).toMatch(/\/sso\/oidc\/con_[\w-]+\/callback$/);
      await shot(page, 'oidc-01-guide');
      // The administrator registers the redirect URI at their IdP, which gives them a client.
      partner = await startPartnerIdp(plan, [redirectUri]);
      const admin = `admin@${domain}`;
      partner.accounts.set(admin, { email: admin, email_verified: true, name: 'Ada Admin', dept: 'Risk' });
      await page.getByLabel('Connection name').fill('partner');
      await page
        .getByLabel('Issuer or discovery URL')
        .fill(`${plan.issuer}/.well-known/openid-configuration`);
      await page.getByLabel('Client ID').fill(plan.clientId);
      await page.getByLabel('Client secret').fill(plan.clientSecret);
      await page.getByRole('button', { name: 'Create connection' }).click();
      await page.waitForURL(/\/portal\/sso\/connections\/con_/);
      const connectionId = new URL(page.url()).pathname.split('/').pop()!;
      expect(redirectUri).toBe(`${gh.issuer}/sso/oidc/${connectionId}/callback`);
      await shot(page, 'oidc-02-connection');

      await page.getByRole('button', { name: 'Test connection' }).click();
      await page.waitForURL((url) => url.href.startsWith(plan.issuer));
      await page.locator('input[name=login]').fill(admin);
      await shot(page, 'oidc-03-at-idp');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${gh.issuer}/portal/sso/connections/${connectionId}/test`);
      await expect(page.locator('#test-passed').isVisible()).resolves.toBe(true);
      await expect(page.locator('#mapped-name').textContent()).resolves.toBe('Ada Admin');
      await expect(page.locator('#received-claims').textContent()).resolves.toContain('Risk');
      await shot(page, 'oidc-04-test-result');
      expect(await gh.container.db.users.findByEmail(admin)).toBeUndefined();

      await page.getByRole('button', { name: 'Activate' }).click();
      await expect(page.locator('#status').textContent()).resolves.toBe('Active');
      await shot(page, 'oidc-05-active');

      const email = `ben@${domain}`;
      partner.accounts.set(email, { email, email_verified: true, name: 'Ben Partner' });
      const claims = await signInToApp(email, async (atIdp) => {
        await atIdp.waitForURL((url) => url.href.startsWith(plan.issuer));
        await atIdp.getByRole('button', { name: 'Sign in' }).click();
      });
      expect(claims).toMatchObject({ idp: connectionId });
      expect(await gh.container.db.users.findByEmail(email)).toMatchObject({ name: 'Ben Partner' });
    } finally {
      await partner?.stop();
    }
  }, 120_000);
});
