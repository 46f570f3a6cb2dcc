import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { adminApi } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { atRelyingParty, passwordFirstFactor, startAuthorization } from '../support/relying-party.js';
import { mfaOrganizationsAndApp } from '../support/mfa-fixture.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';
const MFA_ACR = 'urn:gatehouse:mfa';

/** The second factor at sign-in over HTTP: policy, TOTP enrolment and codes, recovery codes, step-up. */
describe('two-step verification at sign-in', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  let strict: string;
  let relaxed: string;
  let clock = Date.now();

  const totp = (secret: string) => generate({ secret, epoch: Math.floor(clock / 1000), period: 30 });
  const secretOn = (page: Page) => /<code>([A-Z2-7]+)<\/code>/.exec(page.body)?.[1] ?? '';
  const newUser = async (organizationId: string) => {
    const email = `mfa.${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organizationId, id, []);
    return { id, email };
  };
  /** Email and password, then whatever the second step shows. */
  const passwordStep = (browser: FormBrowser, email: string, extra: Record<string, string> = {}) =>
    passwordFirstFactor(config, browser, email, PASSWORD, { scope: SCOPE, extra });

  beforeAll(async () => {
    // Many sign-ins of one account within a real minute: the per-minute limit is not under test here.
    gh = await startGatehouse({ RATE_LIMIT_LOGIN_PER_MINUTE: '100' }, { now: () => new Date(clock) });
    ({ strict, relaxed, config } = await mfaOrganizationsAndApp(gh, 'mfa'));
  });
  afterAll(() => gh?.stop());

  it('sets up an authenticator when policy requires it, shows recovery codes once, and says so in the tokens', async () => {
    const user = await newUser(strict);
    const browser = new FormBrowser();
    const { page: enrol, finish } = await passwordStep(browser, user.email);
    expect(enrol.body).toContain('Set up two-step verification');
    expect(enrol.body).toContain('src="data:image/png;base64,');
    const wrong = await browser.submit(enrol, '/mfa/enrol', { code: '000000' });
    expect(wrong.status).toBe(401);
    const secret = secretOn(wrong);
    expect(secret).not.toBe(secretOn(enrol));

    const codes = await browser.submit(wrong, '/mfa/enrol', { code: await totp(secret) });
    expect(codes.body).toContain('Save your recovery codes');
    expect(codes.body.match(/<li><code>/g)).toHaveLength(10);
    const back = await browser.follow(await browser.submit(codes, '/mfa/done'), atRelyingParty);
    const claims = (await finish(back.url)).claims();
    expect(claims).toMatchObject({ sub: user.id, org_id: strict, acr: MFA_ACR });
    expect(claims?.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
  });

  it('asks an enrolled user for a code, refuses a replayed one and accepts a recovery code once', async () => {
    const user = await newUser(strict);
    const first = new FormBrowser();
    const { page: enrol } = await passwordStep(first, user.email);
    const secret = secretOn(enrol);
    const codesPage = await first.submit(enrol, '/mfa/enrol', { code: await totp(secret) });
    const recovery = /<li><code>([^<]+)<\/code>/.exec(codesPage.body)![1]!;

    clock += 30_000;
    const second = new FormBrowser();
    const { page: challenge, finish } = await passwordStep(second, user.email);
    expect(challenge.body).toContain('Two-step verification');
    const code = await totp(secret);
    const back = await second.follow(await second.submit(challenge, '/mfa', { code }), atRelyingParty);
    expect((await finish(back.url)).claims()?.acr).toBe(MFA_ACR);

    const third = new FormBrowser();
    const { page: again } = await passwordStep(third, user.email);
    const replayed = await third.submit(again, '/mfa', { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toContain('already used');

    const fourth = new FormBrowser();
    const viaRecovery = await passwordStep(fourth, user.email);
    const done = await fourth.follow(
      await fourth.submit(viaRecovery.page, '/mfa', { code: recovery.toLowerCase() }),
      atRelyingParty,
    );
    expect((await viaRecovery.finish(done.url)).claims()?.amr).toEqual(
      expect.arrayContaining(['pwd', 'mfa']),
    );
    const fifth = new FormBrowser();
    const reused = await passwordStep(fifth, user.email);
    expect((await fifth.submit(reused.page, '/mfa', { code: recovery })).status).toBe(401);
  });

  it('steps up a password session when the application asks acr_values, without asking the password again', async () => {
    const user = await newUser(relaxed);
    const browser = new FormBrowser();
    const plain = await passwordStep(browser, user.email);
    const plainClaims = (await plain.finish(plain.page.url)).claims();
    expect(plainClaims?.amr).toEqual(['pwd']);
    expect(plainClaims?.acr).toBeUndefined();

    clock += 60_000;
    const { page: enrol, finish } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { acr_values: MFA_ACR },
    });
    expect(enrol.body).toContain('Set up two-step verification');
    expect(enrol.body).not.toContain('name="password"');
    const codes = await browser.submit(enrol, '/mfa/enrol', { code: await totp(secretOn(enrol)) });
    const back = await browser.follow(await browser.submit(codes, '/mfa/done'), atRelyingParty);
    const stepped = (await finish(back.url)).claims();
    expect(stepped).toMatchObject({ sub: user.id, acr: MFA_ACR });
    expect(stepped?.amr).toEqual(expect.arrayContaining(['pwd', 'otp']));
  });

  it('signs in again from the password when the session is older than max_age, and auth_time says when', async () => {
    const user = await newUser(strict);
    const browser = new FormBrowser();
    const { page: enrol, finish } = await passwordStep(browser, user.email);
    const secret = secretOn(enrol);
    const codes = await browser.submit(enrol, '/mfa/enrol', { code: await totp(secret) });
    const back = await browser.follow(await browser.submit(codes, '/mfa/done'), atRelyingParty);
    const first = (await finish(back.url)).claims()!;

    // Within max_age: the session answers without a page.
    const fresh = await startAuthorization(config, browser, { scope: SCOPE, extra: { max_age: '3600' } });
    expect(atRelyingParty(fresh.page.url)).toBe(true);
    expect(first.auth_time).toEqual(expect.any(Number));
    expect((await fresh.finish(fresh.page.url)).claims()?.auth_time).toBe(first.auth_time);

    // oidc-provider reads the real clock for max_age: a second passes before asking for one second.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    clock += 60_000;
    const stale = await startAuthorization(config, browser, { scope: SCOPE, extra: { max_age: '1' } });
    expect(stale.page.body).toContain('Work email');
    const passwordPage = await browser.submit(stale.page, '/identify', { email: user.email });
    const password = await browser.submit(passwordPage, '/login', { password: PASSWORD });
    const again = await browser.follow(
      await browser.submit(await browser.follow(password), '/mfa', { code: await totp(secret) }),
      atRelyingParty,
    );
    const renewed = (await stale.finish(again.url)).claims()!;
    expect(renewed.auth_time).toBeGreaterThan(first.auth_time!);
    expect(renewed).toMatchObject({ acr: MFA_ACR });
  });

  it('backs off wrong codes per account, whichever sign-ins they come from, and waits longer each time', async () => {
    const user = await newUser(strict);
    const enrolling = new FormBrowser();
    const { page: enrol } = await passwordStep(enrolling, user.email);
    const secret = secretOn(enrol);
    await enrolling.submit(enrol, '/mfa/enrol', { code: await totp(secret) });

    clock += 30_000;
    const first = new FormBrowser();
    const { page: challenge } = await passwordStep(first, user.email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await first.submit(challenge, '/mfa', { code: '000000' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).not.toContain('Try again in');
    }
    const sixth = await first.submit(challenge, '/mfa', { code: '000000' });
    expect(sixth.status).toBe(401);
    expect(sixth.body).toContain('Try again in 30 seconds');

    // Another browser, the right code: the account waits, so the code is not even tried.
    const second = new FormBrowser();
    const { page: again, finish } = await passwordStep(second, user.email);
    const waiting = await second.submit(again, '/mfa', { code: await totp(secret) });
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('retry-after')).toBe('30');
    expect(waiting.body).toContain('Too many sign-in attempts. Try again in 30 seconds.');

    clock += 30_000;
    const back = await second.follow(
      await second.submit(again, '/mfa', { code: await totp(secret) }),
      atRelyingParty,
    );
    expect((await finish(back.url)).claims()?.acr).toBe(MFA_ACR);
  });

  it('locks an account at the longest wait once, records and mails it, and an administrator unlocks it', async () => {
    const user = await newUser(strict);
    const enrolling = new FormBrowser();
    const { page: enrol } = await passwordStep(enrolling, user.email);
    const secret = secretOn(enrol);
    await enrolling.submit(enrol, '/mfa/enrol', { code: await totp(secret) });
    const mailsBefore = gh.container.outbox.filter((mail) => mail.to === user.email).length;

    // Each wrong code after its wait: ten of them lead to the 15-minute ceiling.
    for (let attempt = 0; attempt < 11; attempt += 1) {
      clock += 16 * 60_000;
      const browser = new FormBrowser();
      const { page } = await passwordStep(browser, user.email);
      expect((await browser.submit(page, '/mfa', { code: '000000' })).status).toBe(401);
    }
    const browser = new FormBrowser();
    const { page, finish } = await passwordStep(browser, user.email);
    const locked = await browser.submit(page, '/mfa', { code: await totp(secret) });
    expect(locked.status).toBe(429);
    expect(locked.body).toContain('Try again in 15 minutes');
    const audit = await gh.container.db.audit.list(
      { organizationIds: [strict], action: 'mfa.locked', targetId: user.id },
      { limit: 5 },
    );
    expect(audit).toHaveLength(1);
    const mails = gh.container.outbox.filter((mail) => mail.to === user.email).slice(mailsBefore);
    expect(mails.map((mail) => mail.subject)).toEqual(['Two-step verification is locked on your account']);

    const api = adminApi(gh, await adminKey(gh));
    await api.expect(204, `/users/${user.id}/unlock`, { method: 'POST' });
    const back = await browser.follow(
      await browser.submit(page, '/mfa', { code: await totp(secret) }),
      atRelyingParty,
    );
    expect((await finish(back.url)).claims()?.acr).toBe(MFA_ACR);
    const unlocks = await gh.container.db.audit.list(
      { organizationIds: [strict], action: 'user.unlock', targetId: user.id },
      { limit: 5 },
    );
    expect(unlocks).toHaveLength(1);
  });

  it('does not take an authenticator app where the organization allows only passkeys', async () => {
    const passkeysOnly = (await createOrganization(gh, 'Passkeys only')).id;
    await gh.container.admin.organizations.update(OPERATOR, passkeysOnly, {
      security_policies: { mfa: 'required', mfa_factors: ['webauthn'] },
    });
    const user = await newUser(passkeysOnly);
    const { factorId, secret } = await gh.container.mfa.totp.beginEnrolment(user.id, user.email);
    expect(await gh.container.mfa.totp.confirmEnrolment(user.id, factorId, await totp(secret))).toBe(true);

    clock += 30_000;
    const browser = new FormBrowser();
    const { page } = await passwordStep(browser, user.email);
    expect(page.body).toContain('Set up two-step verification');
    expect(page.body).not.toContain('Enter the 6-digit code from your authenticator app');
    // Posted by hand: the page has no code form to post it from.
    const refused = await browser.request(page.url.replace(/\/login$/, '/mfa'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: await totp(secret) }),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.headers.get('location')).toBeNull();
  });
});
