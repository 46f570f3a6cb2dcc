import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { adminApi } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { connectPartnerIdp, type PartnerIdp } from '../support/partner-idp.js';
import { createOrganization, OPERATOR } from '../support/tenancy.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerAuthnRequest,
  SAML_IDP_ENTITY_ID,
  samlIdpCertificate,
  type SamlUser,
} from '../support/saml-partner.js';

/**
 * The federated chain in real Chromium, with the demo relying party: email page, the partner's
 * page (another port of the same host, so the browser shares cookies between the two servers as
 * it really would), and back through Gatehouse to the tokens.
 */
describe('sign-in through partner IdPs in a real browser', () => {
  let gh: TestGatehouse;
  let partner: PartnerIdp;
  let browser: Browser;
  let organizationId: string;
  let connectionId: string;
  const domain = `${randomUUID().slice(0, 8)}.browser.test`;

  beforeAll(async () => {
    gh = await startGatehouse({ DEMO: 'true' });
    const api = adminApi(gh, await adminKey(gh));
    const organization = await createOrganization(gh, 'Browser Co', {
      roles: [{ name: 'member', permissions: ['read'] }],
      defaultRole: 'member',
    });
    organizationId = organization.id;
    await gh.container.admin.domains.add(OPERATOR, organizationId, { domain, verified: true });
    ({ partner, connectionId } = await connectPartnerIdp(api, gh.issuer, organizationId));
    await api.expect(200, `/organizations/${organizationId}/routing`, {
      method: 'PUT',
      json: { rules: [], fallback_connection: 'partner' },
    });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await partner?.stop();
    await gh?.stop();
  }, 60_000);

  it('signs a new user in at the partner and shows Gatehouse’s tokens with the organization and idp', async () => {
    const email = `ada@${domain}`;
    partner.accounts.set(email, { email, email_verified: true, name: 'Ada Partner' });
    const page = await browser.newPage();
    await page.goto(`${gh.issuer}/demo`);
    await page.getByRole('button', { name: 'Sign in with Gatehouse' }).click();
    await page.getByLabel('Work email').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    // The partner's page; its form carries the login_hint Gatehouse passed on.
    await page.waitForURL((url) => url.href.startsWith(partner.issuer));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/demo\/callback/);

    const claims = JSON.parse((await page.locator('#id-token').textContent()) ?? '{}');
    const user = await gh.container.db.users.findByEmail(email);
    expect(claims).toMatchObject({ sub: user!.id, idp: connectionId, amr: ['pwd'] });
    const userinfo = JSON.parse((await page.locator('#userinfo').textContent()) ?? '{}');
    expect(userinfo).toMatchObject({ email, name: 'Ada Partner' });
    expect(await gh.container.db.memberships.find(user!.id, organizationId)).toMatchObject({
      status: 'active',
      roles: ['member'],
    });
    await page.close();
  }, 60_000);

  it('signs a user in at a SAML IdP: the Redirect binding out, an auto-posted form back to the ACS', async () => {
    const api = adminApi(gh, await adminKey(gh));
    const samlDomain = `${randomUUID().slice(0, 8)}.saml-browser.test`;
    const saml = await createOrganization(gh, 'SAML Browser Co');
    await gh.container.admin.domains.add(OPERATOR, saml.id, { domain: samlDomain, verified: true });
    const person: SamlUser = { nameId: 'grace-01', email: `grace@${samlDomain}` };
    let entityId = '';
    // The IdP's sign-in page: answers the AuthnRequest with the form samlp's IdP would post.
    const idp = createServer((req, res) => {
      void answerAuthnRequest(`http://127.0.0.1${req.url ?? ''}`, `${entityId}/acs`, entityId, person).then(
        (fields) => {
          const inputs = Object.entries(fields)
            .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
            .join('');
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(
              `<!doctype html><form method="post" action="${entityId}/acs">${inputs}</form>` +
                '<script>document.forms[0].submit()</script>',
            );
        },
        (error: Error) => res.writeHead(500).end(error.message),
      );
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = idp.address() as AddressInfo;
      const connection = await api.expect(201, `/organizations/${saml.id}/connections`, {
        method: 'POST',
        json: {
          key: 'okta',
          type: 'saml',
          idp_entity_id: SAML_IDP_ENTITY_ID,
          idp_sso_url: `http://127.0.0.1:${port}/saml/sso`,
          idp_certificates: [samlIdpCertificate()],
        },
      });
      entityId = `${gh.issuer}/sso/saml/${connection.id as string}`;
      await api.expect(200, `/organizations/${saml.id}/routing`, {
        method: 'PUT',
        json: { rules: [], fallback_connection: 'okta' },
      });
      const page = await browser.newPage();
      await page.goto(`${gh.issuer}/demo`);
      await page.getByRole('button', { name: 'Sign in with Gatehouse' }).click();
      await page.getByLabel('Work email').fill(person.email);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.waitForURL(/\/demo\/callback/);
      const claims = JSON.parse((await page.locator('#id-token').textContent()) ?? '{}');
      expect(claims).toMatchObject({ idp: connection.id, amr: ['fed'] });
      const userinfo = JSON.parse((await page.locator('#userinfo').textContent()) ?? '{}');
      expect(userinfo).toMatchObject({ email: person.email });
      await page.close();
    } finally {
      idp.close();
    }
  }, 60_000);
});
