import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { signInApp } from '../support/mfa-fixture.js';
import { atRelyingParty, passwordFirstFactor } from '../support/relying-party.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';
const MFA_ACR = 'urn:gatehouse:mfa';

/** Email one-time codes at sign-in over HTTP, read from the dev outbox; security notices by email. */
describe('email codes and security notices at sign-in', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  let emailOnly: string;
  let strict: string;
  const clock = Date.now();

  const newUser = async (organizationId: string, verified = true) => {
    const email = `mfa.email.${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    if (verified) await gh.container.db.users.update(id, { emailVerified: true });
    await addMember(gh, organizationId, id, []);
    return { id, email };
  };
  const mailTo = (email: string) => gh.container.outbox.filter((message) => message.to === email);
  const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? '';
  const passwordStep = (browser: FormBrowser, email: string) =>
    passwordFirstFactor(config, browser, email, PASSWORD, { scope: SCOPE });

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(clock) });
    emailOnly = (await createOrganization(gh, 'Email only')).id;
    await gh.container.admin.organizations.update(OPERATOR, emailOnly, {
      security_policies: { mfa: 'required', mfa_factors: ['email'] },
    });
    strict = (await createOrganization(gh, 'Strict email')).id;
    await gh.container.admin.organizations.update(OPERATOR, strict, {
      security_policies: { mfa: 'required' },
    });
    config = await signInApp(gh, 'mfa-email');
  });
  afterAll(() => gh?.stop());

  it('signs in with an emailed code when email is the only factor, without enrolment, once per code', async () => {
    const user = await newUser(emailOnly);
    const browser = new FormBrowser();
    const { page: challenge, finish } = await passwordStep(browser, user.email);
    expect(challenge.body).toContain('Email me a code');
    expect(challenge.body).not.toContain('Set up two-step verification');

    const sent = await browser.submit(challenge, '/mfa/email');
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('We emailed you a 6-digit code');
    const [mail] = mailTo(user.email);
    const code = codeIn(mail!.text);
    expect(code).toMatch(/^\d{6}$/);

    const back = await browser.follow(await browser.submit(sent, '/mfa', { code }), atRelyingParty);
    const claims = (await finish(back.url)).claims();
    expect(claims).toMatchObject({ sub: user.id, org_id: emailOnly, acr: MFA_ACR });
    expect(claims?.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));

    const again = new FormBrowser();
    const { page: second } = await passwordStep(again, user.email);
    const replayed = await again.submit(second, '/mfa', { code });
    expect(replayed.status).toBe(401);
  });

  it('lists the emails on the dev outbox page outside production', async () => {
    const user = await newUser(emailOnly);
    const browser = new FormBrowser();
    const { page: challenge } = await passwordStep(browser, user.email);
    await browser.submit(challenge, '/mfa/email');
    const outbox = await new FormBrowser().get(`${gh.url}/dev/outbox`);
    expect(outbox.status).toBe(200);
    expect(outbox.body).toContain(user.email);
    expect(outbox.body).toContain(codeIn(mailTo(user.email)[0]!.text));
  });

  it('sets up an authenticator app instead when the address is not verified', async () => {
    const user = await newUser(emailOnly, false);
    const { page } = await passwordStep(new FormBrowser(), user.email);
    expect(page.body).toContain('Set up two-step verification');
    expect(page.body).not.toContain('Email me a code');
  });

  it('tells the user by email when an authenticator app is added, without the secret', async () => {
    const user = await newUser(strict);
    const browser = new FormBrowser();
    const { page: enrol } = await passwordStep(browser, user.email);
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(enrol.body)?.[1] ?? '';
    const code = await generate({ secret, epoch: Math.floor(clock / 1000), period: 30 });
    const codes = await browser.submit(enrol, '/mfa/enrol', { code });
    expect(codes.body).toContain('Save your recovery codes');
    const [notice] = mailTo(user.email);
    expect(notice?.subject).toContain('authenticator app was added');
    expect(notice?.text).toContain('contact your administrator');
    expect(notice?.text).not.toContain(secret);
    expect(notice?.text).not.toContain(code);
  });

  it('backs off wrong emailed codes like any other code (the lockout notice: mfa.test.ts)', async () => {
    const user = await newUser(emailOnly);
    const browser = new FormBrowser();
    const { page } = await passwordStep(browser, user.email);
    const sent = await browser.submit(page, '/mfa/email');
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await browser.submit(sent, '/mfa', { code: '000000' })).status).toBe(401);
    }
    const sixth = await browser.submit(sent, '/mfa', { code: '000000' });
    expect(sixth.body).toContain('Try again in 30 seconds');
    const code = codeIn(mailTo(user.email).at(-1)!.text);
    const waiting = await browser.submit(sent, '/mfa', { code });
    expect(waiting.status).toBe(429);
    expect(waiting.body).toContain('Too many sign-in attempts');
  });
});
