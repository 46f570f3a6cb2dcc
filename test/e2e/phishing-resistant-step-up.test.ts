import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as oidc from 'openid-client';
import { generate } from 'otplib';
import { FormBrowser, type Page } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { signInApp } from '../support/mfa-fixture.js';
import { atRelyingParty, passwordFirstFactor, startAuthorization } from '../support/relying-party.js';
import { softAuthenticator } from '../support/soft-authenticator.js';
import { addMember, createOrganization, OPERATOR } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SCOPE = 'openid email organization';
const MFA_ACR = 'urn:gatehouse:mfa';

/**
 * acr_values=phr (OpenID EAP ACR Values): only a passkey or security key answers it. The passkey
 * here is a software authenticator speaking WebAuthn's JSON to the real routes (a real browser
 * does the same in webauthn-browser.test.ts).
 */
describe('phishing-resistant step-up (acr_values=phr)', () => {
  let gh: TestGatehouse;
  let config: oidc.Configuration;
  let organizationId: string;
  let clock = Date.now();

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(clock) });
    config = await signInApp(gh, 'phr');
    organizationId = (await createOrganization(gh, 'Phishing resistant')).id;
  });
  afterAll(() => gh?.stop());

  /** A member with an authenticator app and, unless told otherwise, a passkey. */
  const enrolledUser = async (withPasskey = true) => {
    const email = `phr.${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organizationId, id, []);
    const { totp, webauthn } = gh.container.mfa;
    const app = await totp.beginEnrolment(id, email);
    const code = await generate({ secret: app.secret, epoch: Math.floor(clock / 1000), period: 30 });
    expect(await totp.confirmEnrolment(id, app.factorId, code)).toBe(true);
    const key = softAuthenticator(gh.issuer);
    if (withPasskey) {
      const registered = await webauthn.verifyRegistration(
        id,
        key.register(await webauthn.registrationOptions({ id, email })),
      );
      expect(registered.ok).toBe(true);
    }
    clock += 30_000;
    return { id, email, secret: app.secret, key };
  };
  const totpNow = (secret: string) => generate({ secret, epoch: Math.floor(clock / 1000), period: 30 });
  const uidOf = (page: Page) => /\/interaction\/([^/?#]+)/.exec(page.url)![1]!;

  /** Posted by hand: under phr the page has no code form to post it from. */
  const postCode = (browser: FormBrowser, page: Page, code: string) =>
    browser.request(`${gh.issuer}/interaction/${uidOf(page)}/mfa`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code }),
    });

  /** What the page's script does: fetch options, sign them, post the answer, follow the redirect. */
  const usePasskey = async (browser: FormBrowser, page: Page, key: ReturnType<typeof softAuthenticator>) => {
    const base = `${gh.issuer}/interaction/${uidOf(page)}/mfa/webauthn/authentication`;
    const json = { 'content-type': 'application/json' };
    const options = await browser.request(`${base}/options`, { method: 'POST', headers: json });
    expect(options.status).toBe(200);
    const answer = key.authenticate(JSON.parse(options.body) as { challenge: string });
    const verified = await browser.request(base, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(answer),
    });
    expect(verified.status).toBe(200);
    const { redirect } = JSON.parse(verified.body) as { redirect: string };
    return browser.follow(await browser.get(new URL(redirect, gh.issuer).href), atRelyingParty);
  };

  it('lists phr in discovery beside urn:gatehouse:mfa', async () => {
    expect(config.serverMetadata().acr_values_supported).toEqual([MFA_ACR, 'phr']);
  });

  it('steps an app-code session up with the passkey alone, and only then says acr phr', async () => {
    const user = await enrolledUser();
    const browser = new FormBrowser();
    const first = await passwordFirstFactor(config, browser, user.email, PASSWORD, {
      scope: SCOPE,
      extra: { acr_values: MFA_ACR },
    });
    const withCode = await browser.follow(
      await browser.submit(first.page, '/mfa', { code: await totpNow(user.secret) }),
      atRelyingParty,
    );
    expect((await first.finish(withCode.url)).claims()?.acr).toBe(MFA_ACR);

    const { page, finish } = await startAuthorization(config, browser, {
      scope: SCOPE,
      extra: { acr_values: 'phr' },
    });
    expect(page.body).toContain('Use a passkey or security key');
    expect(page.body).not.toContain('name="password"');
    expect(page.body).not.toContain('code from your authenticator app');
    // An app code does not count here, even a fresh one.
    clock += 30_000;
    const refused = await postCode(browser, page, await totpNow(user.secret));
    expect(refused.status).toBe(401);

    const back = await usePasskey(browser, page, user.key);
    const claims = (await finish(back.url)).claims();
    expect(claims).toMatchObject({ sub: user.id, acr: 'phr' });
    expect(claims?.amr).toEqual(expect.arrayContaining(['pwd', 'hwk', 'mfa']));

    // The session is now at phr: asking urn:gatehouse:mfa again needs nothing more.
    const again = await startAuthorization(config, browser, { scope: SCOPE, extra: { acr_values: MFA_ACR } });
    expect(atRelyingParty(again.page.url)).toBe(true);
    expect((await again.finish(again.page.url)).claims()?.acr).toBe('phr');
  });

  it('has a user without a passkey set one up to reach phr, not use the app they have', async () => {
    const user = await enrolledUser(false);
    const browser = new FormBrowser();
    const { page } = await passwordFirstFactor(config, browser, user.email, PASSWORD, {
      scope: SCOPE,
      extra: { acr_values: 'phr' },
    });
    expect(page.body).toContain('Set up two-step verification');
    expect(page.body).toContain('Set up a passkey or security key');
    expect(page.body).not.toContain('<code>');
  });

  it('answers unmet_authentication_requirements where the organization does not allow passkeys', async () => {
    const appsOnly = (await createOrganization(gh, 'Apps only')).id;
    await gh.container.admin.organizations.update(OPERATOR, appsOnly, {
      security_policies: { mfa_factors: ['totp'] },
    });
    const user = await enrolledUser();
    await addMember(gh, appsOnly, user.id, []);
    const { page } = await passwordFirstFactor(config, new FormBrowser(), user.email, PASSWORD, {
      scope: SCOPE,
      extra: { acr_values: 'phr', organization: appsOnly },
    });
    expect(atRelyingParty(page.url)).toBe(true);
    const answer = new URL(page.url).searchParams;
    expect(answer.get('error')).toBe('unmet_authentication_requirements');
    expect(answer.get('error_description')).toContain('does not allow passkeys');
    expect(answer.get('code')).toBeNull();
  });

  it('does not take a recovery code where phr was asked', async () => {
    const user = await enrolledUser();
    const [recovery] = await gh.container.mfa.recoveryCodes.generate(user.id);
    const browser = new FormBrowser();
    const { page } = await passwordFirstFactor(config, browser, user.email, PASSWORD, {
      scope: SCOPE,
      extra: { acr_values: 'phr' },
    });
    expect(page.body).toContain('codes do not do here');
    const typed = await postCode(browser, page, recovery!);
    expect(typed.status).toBe(401);
    expect(await gh.container.db.recoveryCodes.countUnused(user.id)).toBe(10);
  });

  it('refuses a passkey the account does not own, and records the failed sign-in with its reason', async () => {
    const user = await enrolledUser();
    const stranger = softAuthenticator(gh.issuer);
    const browser = new FormBrowser();
    const { page } = await passwordFirstFactor(config, browser, user.email, PASSWORD, {
      scope: SCOPE,
      extra: { acr_values: 'phr' },
    });
    const base = `${gh.issuer}/interaction/${uidOf(page)}/mfa/webauthn/authentication`;
    const json = { 'content-type': 'application/json' };
    const options = await browser.request(`${base}/options`, { method: 'POST', headers: json });
    const answer = stranger.authenticate(JSON.parse(options.body) as { challenge: string });
    const refused = await browser.request(base, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(answer),
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: 'webauthn_failed' });

    const records = await gh.container.db.audit.list(
      { organizationIds: [organizationId], targetType: 'user', targetId: user.id, action: 'login.failed' },
      { limit: 10 },
    );
    expect(records.map((record) => record.after)).toContainEqual(
      expect.objectContaining({ reason: 'invalid_second_factor', detail: 'webauthn_unknown_credential' }),
    );
  });
});
