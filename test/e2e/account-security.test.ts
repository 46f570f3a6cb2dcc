import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import type { MailMessage } from '../../src/domain/ports/mailer.js';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { mfaOrganizationsAndApp } from '../support/mfa-fixture.js';
import { atRelyingParty, passwordFirstFactor } from '../support/relying-party.js';
import { addMember } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';

/** The user's own security page over HTTP: their factors, removal under policy, recovery codes. */
describe('account security page', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  let strict: string;
  let relaxed: string;
  let clock = Date.now();
  const mail: MailMessage[] = [];

  const totp = (secret: string) => generate({ secret, epoch: Math.floor(clock / 1000), period: 30 });
  const securityUrl = () => `${gh.issuer}/account/security`;

  /** A member of `organizationId` with a confirmed authenticator app, signed in with it in a browser. */
  const signedInWithTotp = async (organizationId: string) => {
    const email = `self.${randomUUID().slice(0, 8)}@example.test`;
    const userId = await gh.addUser(email, PASSWORD);
    await addMember(gh, organizationId, userId, []);
    const { factorId, secret } = await gh.container.mfa.totp.beginEnrolment(userId, email);
    expect(await gh.container.mfa.totp.confirmEnrolment(userId, factorId, await totp(secret))).toBe(true);
    clock += 30_000;
    const browser = new FormBrowser();
    const { page } = await passwordFirstFactor(config, browser, email, PASSWORD, { scope: SCOPE });
    const back = await browser.follow(
      await browser.submit(page, '/mfa', { code: await totp(secret) }),
      atRelyingParty,
    );
    expect(atRelyingParty(back.url)).toBe(true);
    return { userId, email, factorId, browser };
  };
  const removeAction = (factorId: string) => `/factors/${factorId}/remove`;
  const codesOn = (page: Page) =>
    [...page.body.matchAll(/<li><code>([^<]+)<\/code>/g)].map((match) => match[1]!);

  beforeAll(async () => {
    gh = await startGatehouse(
      {},
      { now: () => new Date(clock), mailer: { send: async (message) => void mail.push(message) } },
    );
    ({ strict, relaxed, config } = await mfaOrganizationsAndApp(gh, 'self-service'));
  });
  afterAll(() => gh?.stop());

  it('answers 401 with a sign-in message without a session', async () => {
    const page = await new FormBrowser().get(securityUrl());
    expect(page.status).toBe(401);
    expect(page.body).toContain('Sign in through one of your applications');
  });

  it('lists the factor and refuses to remove the last one where an organization requires MFA', async () => {
    const { factorId, browser } = await signedInWithTotp(strict);
    const page = await browser.get(securityUrl());
    expect(page.status).toBe(200);
    expect(page.body).toContain('Authenticator app');
    expect(page.body).toContain(removeAction(factorId));

    const refused = await browser.submit(page, removeAction(factorId));
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('requires two-step verification');
    expect((await browser.get(securityUrl())).body).toContain(removeAction(factorId));
  });

  it('removes the factor in a relaxed organization, audits it as the user and sends a notice', async () => {
    const { userId, email, factorId, browser } = await signedInWithTotp(relaxed);
    const page = await browser.get(securityUrl());
    const removed = await browser.follow(await browser.submit(page, removeAction(factorId)));
    expect(removed.status).toBe(200);
    expect(removed.body).not.toContain(removeAction(factorId));
    expect(await gh.container.db.mfaFactors.find(factorId)).toBeUndefined();

    const audit = await gh.container.db.audit.list(
      { organizationIds: [relaxed], action: 'mfa.factor_remove', targetId: factorId },
      { limit: 5 },
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatchObject({ type: 'user', id: userId });
    expect(mail.some((message) => message.to === email && /removed/.test(message.subject))).toBe(true);
  });

  it('refuses a forged CSRF token', async () => {
    const { factorId, browser } = await signedInWithTotp(relaxed);
    const page = await browser.get(securityUrl());
    const forged = await browser.submit(page, removeAction(factorId), { csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('Page expired');
    expect(await gh.container.db.mfaFactors.find(factorId)).toBeDefined();
  });

  it('shows 10 new recovery codes once, and the old ones stop working', async () => {
    const { userId, browser } = await signedInWithTotp(relaxed);
    const [old] = await gh.container.mfa.recoveryCodes.generate(userId);
    const page = await browser.get(securityUrl());
    expect(page.body).toContain('10 unused recovery codes left');

    const fresh = await browser.submit(page, '/recovery-codes');
    const codes = codesOn(fresh);
    expect(codes).toHaveLength(10);
    expect(await gh.container.mfa.recoveryCodes.redeem(userId, old!)).toBe(false);
    expect(await gh.container.mfa.recoveryCodes.redeem(userId, codes[0]!)).toBe(true);
    expect(codesOn(await browser.get(securityUrl()))).toHaveLength(0);
  });
});
