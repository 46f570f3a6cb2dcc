import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import type { FormBrowser } from '../support/form-browser.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { atRelyingParty, startAuthorization } from '../support/relying-party.js';
import { PASSWORD, SCOPE, organizationWithMember, sessionApp, signIn } from './sessions-fixture.js';

const MINUTE = 60_000;

/**
 * Absolute lifetime, idle timeout and re-authentication interval from the organization's policy,
 * on Gatehouse's clock: the next authorization request after a limit asks for a sign-in again.
 */
describe('session timeouts', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let app: Awaited<ReturnType<typeof sessionApp>>;
  let clock = Date.now();

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(clock) });
    api = adminApi(gh, await adminKey(gh));
    app = await sessionApp(gh);
  });
  afterAll(() => gh?.stop());

  /** A new authorization request in the browser: back at the RP (single sign-on) or a sign-in page. */
  const authorize = async (browser: FormBrowser, organizationId: string) =>
    (await startAuthorization(app.config, browser, { scope: SCOPE, extra: { organization: organizationId } }))
      .page;
  const signedInWithPolicy = async (policies: Record<string, unknown>) => {
    const { organization, member } = await organizationWithMember(gh, 'Timeouts', policies);
    const { email, userId } = await member();
    const login = await signIn(app.config, email, organization.id);
    return { organizationId: organization.id, email, userId, login };
  };

  it('ends the session at its absolute lifetime, with its refresh token', async () => {
    const { organizationId, userId, login } = await signedInWithPolicy({ session_timeout: '1h' });
    clock += 30 * MINUTE;
    expect(atRelyingParty((await authorize(login.browser, organizationId)).url)).toBe(true);

    clock += 31 * MINUTE;
    const page = await authorize(login.browser, organizationId);
    expect(page.body).toContain('/identify');
    await expect(oidc.refreshTokenGrant(app.config, login.tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await api.expect(200, `/users/${userId}/sessions`)).data).toEqual([]);
  });

  it('ends an idle session, while activity keeps it going', async () => {
    const { organizationId, login } = await signedInWithPolicy({ idle_timeout: '10m' });
    for (let step = 0; step < 3; step += 1) {
      clock += 8 * MINUTE;
      expect(atRelyingParty((await authorize(login.browser, organizationId)).url)).toBe(true);
    }
    clock += 12 * MINUTE;
    expect((await authorize(login.browser, organizationId)).body).toContain('/identify');
  });

  it('asks for a new sign-in after the re-authentication interval, keeping the session', async () => {
    const { organizationId, email, userId, login } = await signedInWithPolicy({
      reauthentication_interval: '30m',
    });
    const [before] = (await api.expect(200, `/users/${userId}/sessions`)).data;
    clock += 31 * MINUTE;
    const { browser } = login;
    const page = await authorize(browser, organizationId);
    expect(page.body).toContain('/identify');
    const password = await browser.submit(page, '/identify', { email });
    const back = await browser.follow(
      await browser.submit(password, '/login', { password: PASSWORD }),
      atRelyingParty,
    );
    expect(atRelyingParty(back.url)).toBe(true);

    const [after] = (await api.expect(200, `/users/${userId}/sessions`)).data;
    expect(after.id).toBe(before.id);
    expect(after.created_at).toBe(before.created_at);
    expect(Date.parse(after.authenticated_at)).toBeGreaterThan(Date.parse(before.authenticated_at));
    // Fresh again: the next request signs in silently.
    expect(atRelyingParty((await authorize(browser, organizationId)).url)).toBe(true);
  });
});
