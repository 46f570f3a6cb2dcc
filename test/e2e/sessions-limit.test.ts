import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import {
  member,
  organizationWithMember,
  sessionApp,
  sidOf,
  signIn,
  startLogoutReceiver,
  verifyLogoutToken,
  type LogoutReceiver,
} from './sessions-fixture.js';

/**
 * The concurrent-session limit across two Gatehouse processes sharing PostgreSQL and Redis:
 * each sign-in goes through one instance or the other, the limit holds for the pair.
 */
describe('concurrent-session limit on two instances', () => {
  let a: TestGatehouse;
  let b: TestGatehouse;
  let receiver: LogoutReceiver;
  let app: Awaited<ReturnType<typeof sessionApp>>;
  let api: AdminApi;
  const onA = (url: string) => url;
  const onB = (url: string) => url.replace(a.issuer, b.url);

  beforeAll(async () => {
    a = await startGatehouse();
    b = await startGatehouse({
      ISSUER: a.issuer,
      REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX,
      COOKIE_KEYS: a.env.COOKIE_KEYS!.join(','),
    });
    receiver = await startLogoutReceiver();
    app = await sessionApp(a, receiver.url);
    api = adminApi(a, await adminKey(a));
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await receiver?.close();
  });

  const sessionsOf = async (userId: string) =>
    (await api.expect(200, `/users/${userId}/sessions`)).data as Array<{ id: string }>;

  it('ends the oldest session beyond the limit: its refresh token fails and the RP hears of it', async () => {
    const { organization, member: newMember } = await organizationWithMember(a, 'Pair end oldest', {
      concurrent_sessions: 2,
    });
    const { email, userId } = await newMember();
    const first = await signIn(app.config, email, organization.id, onA);
    const second = await signIn(app.config, email, organization.id, onB);
    expect(await sessionsOf(userId)).toHaveLength(2);
    const third = await signIn(app.config, email, organization.id, onA);

    await expect(oidc.refreshTokenGrant(app.config, first.tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    for (const kept of [second, third]) {
      expect((await oidc.refreshTokenGrant(app.config, kept.tokens.refresh_token!)).access_token).toEqual(
        expect.any(String),
      );
    }
    const [receipt] = await receiver.received(1);
    const claims = await verifyLogoutToken(a.issuer, app.clientId, receipt!.token);
    expect(claims).toMatchObject({ sub: userId, sid: sidOf(first.tokens) });
    expect(await sessionsOf(userId)).toHaveLength(2);

    const audit = await a.container.db.audit.list(
      { organizationIds: [organization.id], action: 'session.ended_oldest' },
      { limit: 5 },
    );
    expect(audit).toEqual([expect.objectContaining({ actor: { type: 'system', id: 'sessions' } })]);
  });

  it('with refuse, turns the third sign-in away with a clear error for the RP and keeps nothing', async () => {
    const { organization, member: newMember } = await organizationWithMember(a, 'Pair refuse', {
      concurrent_sessions: 2,
      session_limit_action: 'refuse',
    });
    const { email, userId } = await newMember();
    await signIn(app.config, email, organization.id, onB);
    await signIn(app.config, email, organization.id, onA);
    await expect(signIn(app.config, email, organization.id, onB)).rejects.toMatchObject({
      error: 'access_denied',
      error_description: expect.stringContaining('already signed in on 2 devices'),
    });
    expect(await sessionsOf(userId)).toHaveLength(2);
    const audit = await a.container.db.audit.list(
      { organizationIds: [organization.id], action: 'session.limit_exceeded', targetId: userId },
      { limit: 5 },
    );
    expect(audit).toHaveLength(1);
  });

  it('never lets sign-ins racing on both instances exceed the limit', async () => {
    const refusing = await organizationWithMember(a, 'Pair race refuse', {
      concurrent_sessions: 2,
      session_limit_action: 'refuse',
    });
    const racer = await refusing.member();
    const outcomes = await Promise.allSettled(
      [onA, onB, onA, onB, onA, onB].map((route) =>
        signIn(app.config, racer.email, refusing.organization.id, route),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    expect(await sessionsOf(racer.userId)).toHaveLength(2);

    const ending = await organizationWithMember(a, 'Pair race end oldest', { concurrent_sessions: 2 });
    const other = await member(a, ending.organization.id);
    const signedIn = await Promise.allSettled(
      [onA, onB, onA, onB, onA].map((route) =>
        signIn(app.config, other.email, ending.organization.id, route),
      ),
    );
    const working = await Promise.all(
      signedIn.map(async (outcome) => {
        if (outcome.status === 'rejected') return false;
        return oidc.refreshTokenGrant(app.config, outcome.value.tokens.refresh_token!).then(
          () => true,
          () => false,
        );
      }),
    );
    expect(working.filter(Boolean).length).toBeLessThanOrEqual(2);
    expect((await sessionsOf(other.userId)).length).toBeLessThanOrEqual(2);
  });
});
