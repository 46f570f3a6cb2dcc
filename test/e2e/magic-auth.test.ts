import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { readForm } from '../support/html-form.js';
import { signInApp } from '../support/mfa-fixture.js';
import { atRelyingParty, startAuthorization } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';

/** Magic Auth over HTTP: an emailed code as the first factor, where the email's organization allows it. */
describe('sign-in with an emailed code (Magic Auth)', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;

  /** An organization with a verified domain and these security policies; returns a user factory. */
  const organizationWith = async (policies: Record<string, unknown>) => {
    const domain = `${randomUUID().slice(0, 8)}.example.test`;
    const { id } = await createOrganization(gh, 'Magic');
    await gh.container.admin.organizations.update(OPERATOR, id, { security_policies: policies });
    await gh.container.admin.domains.add(OPERATOR, id, { domain, verified: true });
    const newUser = async () => {
      const email = `user.${randomUUID().slice(0, 8)}@${domain}`;
      const userId = await gh.addUser(email, PASSWORD);
      await gh.container.db.users.update(userId, { emailVerified: true });
      await addMember(gh, id, userId, []);
      return { id: userId, email };
    };
    return { id, domain, newUser };
  };
  const passwordPage = async (browser: FormBrowser, email: string) => {
    const flow = await startAuthorization(config, browser, { scope: SCOPE });
    return { ...flow, page: await browser.submit(flow.page, '/identify', { email }) };
  };
  /** The code mailed to `email`; the send is not awaited by the page (no timing tells accounts apart). */
  const codeFor = async (email: string): Promise<string> => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const mail = gh.container.outbox.filter((message) => message.to === email).at(-1);
      const code = mail && /\b(\d{6})\b/.exec(mail.text)?.[1];
      if (code) return code;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no code mailed to ${email}`);
  };
  const codePage = (browser: FormBrowser, page: Page) => browser.submit(page, '/magic/send');

  beforeAll(async () => {
    gh = await startGatehouse();
    config = await signInApp(gh, 'magic-auth');
  });
  afterAll(() => gh?.stop());

  it('signs in with the emailed code as the first factor, once per code', async () => {
    const organization = await organizationWith({ magic_auth: true });
    const user = await organization.newUser();
    const browser = new FormBrowser();
    const { page, finish } = await passwordPage(browser, user.email);
    expect(page.body).toContain('Email me a sign-in code');

    const sent = await codePage(browser, page);
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('we emailed one');
    const code = await codeFor(user.email);
    const back = await browser.follow(await browser.submit(sent, '/magic/verify', { code }), atRelyingParty);
    expect(atRelyingParty(back.url)).toBe(true);
    const tokens = await finish(back.url);
    expect(tokens.claims()).toMatchObject({ sub: user.id, org_id: organization.id, amr: ['otp'] });
    expect(tokens.claims()?.acr).not.toBe('urn:gatehouse:mfa');

    const again = new FormBrowser();
    const { page: second } = await passwordPage(again, user.email);
    const replayed = await again.submit(await codePage(again, second), '/magic/verify', { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('not right, or was already used');
  });

  it('answers an unknown address like a known one, without mail', async () => {
    const organization = await organizationWith({ magic_auth: true });
    const email = `nobody.${randomUUID().slice(0, 8)}@${organization.domain}`;
    const browser = new FormBrowser();
    const { page } = await passwordPage(browser, email);
    const sent = await codePage(browser, page);
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('we emailed one');
    expect((await browser.submit(sent, '/magic/verify', { code: '123456' })).status).toBe(401);
    expect(gh.container.outbox.filter((message) => message.to === email)).toHaveLength(0);
  });

  it('offers no code where the organization does not allow it, and refuses a forged request', async () => {
    const organization = await organizationWith({});
    const user = await organization.newUser();
    const browser = new FormBrowser();
    const { page } = await passwordPage(browser, user.email);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('/magic/send');
    const login = readForm(page.body, page.url, '/login');
    const forged = await browser.request(login.action.replace(/\/login$/, '/magic/send'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: user.email }),
    });
    expect(forged.status).toBe(403);
    expect(gh.container.outbox.filter((message) => message.to === user.email)).toHaveLength(0);
  });

  it('still asks a required second factor, and never email for it', async () => {
    const organization = await organizationWith({
      magic_auth: true,
      mfa: 'required',
      mfa_factors: ['email'],
    });
    const user = await organization.newUser();
    const browser = new FormBrowser();
    const { page } = await passwordPage(browser, user.email);
    const sent = await codePage(browser, page);
    const second = await browser.follow(
      await browser.submit(sent, '/magic/verify', { code: await codeFor(user.email) }),
      atRelyingParty,
    );
    expect(atRelyingParty(second.url)).toBe(false);
    expect(second.body).toContain('Set up two-step verification');
    expect(second.body).not.toContain('Email me a code');
    expect(second.body).not.toContain('/mfa/email');
  });
});
