import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { FIRST_RETRY_MS } from '../../src/domain/webhooks/backoff.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  organizationWithMember,
  sessionApp,
  sidOf,
  signIn,
  startLogoutReceiver,
  verifyLogoutToken,
  type LogoutReceipt,
  type LogoutReceiver,
} from './sessions-fixture.js';

/**
 * OIDC Back-Channel Logout 1.0 to a real HTTP relying party: a signed logout token naming the
 * session (`sid`) on RP-initiated logout and on an administrator's revocation, sent again after
 * a failure, and the session's refresh token refused afterwards.
 */
describe('back-channel logout', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let clock = Date.now();
  const receivers: LogoutReceiver[] = [];

  beforeAll(async () => {
    gh = await startGatehouse({ WEBHOOK_POLL_MS: '100' }, { now: () => new Date(clock) });
    api = adminApi(gh, await adminKey(gh));
  });
  afterAll(async () => {
    await gh?.stop();
    await Promise.all(receivers.map((receiver) => receiver.close()));
  });

  /** An application whose endpoint answers `answer(n)`, and a member signed in to it. */
  async function signedIn(answer?: (earlier: number) => number) {
    const receiver = await startLogoutReceiver(answer);
    receivers.push(receiver);
    const app = await sessionApp(gh, receiver.url);
    const { organization, member } = await organizationWithMember(gh, 'Back-channel', {});
    const { email, userId } = await member();
    const login = await signIn(app.config, email, organization.id);
    return { receiver, app, userId, login };
  }

  /**
   * Moves the clock past the first retry delay until the second attempt arrives. The receiver
   * records the failed attempt before the worker has rescheduled it, so one step of the clock
   * may come before the rescheduling and a second step is needed (never more than three).
   */
  async function afterBackoff(receiver: LogoutReceiver): Promise<LogoutReceipt[]> {
    for (let step = 0; step < 3 && receiver.receipts.length < 2; step += 1) {
      clock += FIRST_RETRY_MS;
      await receiver.arrival(2, 3_000);
    }
    return receiver.received(2);
  }

  const rpLogout = async ({ app, login }: Awaited<ReturnType<typeof signedIn>>) => {
    const url = oidc.buildEndSessionUrl(app.config, {
      id_token_hint: login.tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:9/',
    });
    const confirm = await login.browser.get(url.href);
    const done = await login.browser.submit(confirm, '/session/end/confirm', { logout: 'yes' });
    expect(done.status).toBe(303);
  };

  it('tells the RP at RP-initiated logout, and the session and its refresh token are gone', async () => {
    const signed = await signedIn();
    const [session] = (await api.expect(200, `/users/${signed.userId}/sessions`)).data;
    await rpLogout(signed);

    const [receipt] = await signed.receiver.received(1);
    const claims = await verifyLogoutToken(gh.issuer, signed.app.clientId, receipt!.token);
    expect(claims).toMatchObject({ iss: gh.issuer, aud: signed.app.clientId, sub: signed.userId });
    expect(claims.sid).toBe(sidOf(signed.login.tokens));
    await expect(
      oidc.refreshTokenGrant(signed.app.config, signed.login.tokens.refresh_token!),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await api.expect(200, `/users/${signed.userId}/sessions`)).data).toEqual([]);
    const audit = await gh.container.db.audit.list(
      { targetId: session.id, action: 'session.logout' },
      { limit: 5 },
    );
    expect(audit).toEqual([expect.objectContaining({ actor: { type: 'user', id: signed.userId } })]);
  });

  it("tells the RP when an administrator ends the session, and refuses the session's refresh token", async () => {
    const signed = await signedIn();
    const [session] = (await api.expect(200, `/users/${signed.userId}/sessions`)).data;
    await api.expect(204, `/users/${signed.userId}/sessions/${session.id}`, { method: 'DELETE' });

    await expect(
      oidc.refreshTokenGrant(signed.app.config, signed.login.tokens.refresh_token!),
    ).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const [receipt] = await signed.receiver.received(1);
    const claims = await verifyLogoutToken(gh.issuer, signed.app.clientId, receipt!.token);
    expect(claims).toMatchObject({ sub: signed.userId, sid: sidOf(signed.login.tokens) });
  });

  it('sends the logout again after the RP answered 500', async () => {
    const signed = await signedIn((earlier) => (earlier === 0 ? 500 : 200));
    const [session] = (await api.expect(200, `/users/${signed.userId}/sessions`)).data;
    await api.expect(204, `/users/${signed.userId}/sessions/${session.id}`, { method: 'DELETE' });
    await signed.receiver.received(1);

    const [failed, retried] = await afterBackoff(signed.receiver);
    expect([failed!.status, retried!.status]).toEqual([500, 200]);
    const first = await verifyLogoutToken(gh.issuer, signed.app.clientId, failed!.token);
    const again = await verifyLogoutToken(gh.issuer, signed.app.clientId, retried!.token);
    expect(again.sid).toBe(first.sid);
    expect(again.jti).not.toBe(first.jti);
  });

  it('retries a logout oidc-provider failed to deliver at RP-initiated logout', async () => {
    const signed = await signedIn((earlier) => (earlier === 0 ? 503 : 204));
    await rpLogout(signed);
    await signed.receiver.received(1);
    const [, retried] = await afterBackoff(signed.receiver);
    expect(retried!.status).toBe(204);
    const claims = await verifyLogoutToken(gh.issuer, signed.app.clientId, retried!.token);
    expect(claims.sid).toBe(sidOf(signed.login.tokens));
  });
});
