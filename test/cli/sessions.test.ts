import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { createOrganization } from '../support/tenancy.js';
import { testDatabaseUrl, testRedisUrl } from '../support/services.js';
import {
  member,
  sessionApp,
  sidOf,
  signIn,
  startLogoutReceiver,
  verifyLogoutToken,
  type LogoutReceiver,
} from '../e2e/sessions-fixture.js';
import { gatehouse } from './run-gatehouse.js';

/**
 * `gatehouse sessions` through the real bin against a running server's database and Redis: the
 * command ends sessions and queues the logouts, which the server sends.
 */
describe('gatehouse sessions', () => {
  let gh: TestGatehouse;
  let receiver: LogoutReceiver;
  let app: Awaited<ReturnType<typeof sessionApp>>;
  let organization: { id: string; slug: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    gh = await startGatehouse({ WEBHOOK_POLL_MS: '100' });
    receiver = await startLogoutReceiver();
    app = await sessionApp(gh, receiver.url);
    organization = await createOrganization(gh, 'Sessions CLI');
    env = {
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: gh.env.REDIS_KEY_PREFIX,
      GATEHOUSE_KEK: gh.env.GATEHOUSE_KEK!,
    };
  });
  afterAll(async () => {
    await gh?.stop();
    await receiver?.close();
  });

  const refreshWorks = (tokens: { refresh_token?: string }) =>
    oidc.refreshTokenGrant(app.config, tokens.refresh_token!).then(
      () => true,
      () => false,
    );

  it('lists sessions per user and per organization, as a table and as JSON', async () => {
    const { email, userId } = await member(gh, organization.id);
    await signIn(app.config, email, organization.id);
    const table = await gatehouse(['sessions', 'list', '--user', email], env);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toMatch(/^ID +USER +ORGANIZATION +DEVICE +IP +CREATED +LAST SEEN +EXPIRES$/m);
    expect(table.stdout).toContain(userId);

    const listed = await gatehouse(['sessions', 'list', '--organization', organization.slug, '--json'], env);
    expect(listed.code).toBe(0);
    const sessions = JSON.parse(listed.stdout) as Array<{ userId: string; organizationId: string }>;
    expect(sessions).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId, organizationId: organization.id })]),
    );
  }, 60_000);

  it('revokes one session; the server sends the logout the command queued', async () => {
    const { email, userId } = await member(gh, organization.id);
    const login = await signIn(app.config, email, organization.id);
    const kept = await signIn(app.config, email, organization.id);
    const [session] = JSON.parse(
      (await gatehouse(['sessions', 'list', '--user', userId, '--json'], env)).stdout,
    );
    const revoked = await gatehouse(['sessions', 'revoke', '--session', session.id], env);
    expect(revoked).toMatchObject({ code: 0, stderr: '', stdout: 'ended 1 session\n' });
    expect([await refreshWorks(login.tokens), await refreshWorks(kept.tokens)]).toEqual([false, true]);

    const receipts = await receiver.received(1);
    const claims = await Promise.all(
      receipts.map((receipt) => verifyLogoutToken(gh.issuer, app.clientId, receipt.token)),
    );
    expect(claims).toEqual(expect.arrayContaining([expect.objectContaining({ sid: sidOf(login.tokens) })]));
    const audit = await gh.container.db.audit.list(
      { targetId: session.id, action: 'session.revoke' },
      { limit: 5 },
    );
    expect(audit).toEqual([expect.objectContaining({ actor: { type: 'cli', id: expect.any(String) } })]);

    const all = await gatehouse(['sessions', 'revoke', '--user', email], env);
    expect(all).toMatchObject({ code: 0, stdout: 'ended 1 session\n' });
    expect(await refreshWorks(kept.tokens)).toBe(false);
  }, 60_000);

  it('revokes every session of an organization', async () => {
    const { email } = await member(gh, organization.id);
    const login = await signIn(app.config, email, organization.id);
    const revoked = await gatehouse(['sessions', 'revoke', '--organization', organization.id], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/^ended [1-9]\d* sessions?\n$/);
    expect(await refreshWorks(login.tokens)).toBe(false);
    expect((await gatehouse(['sessions', 'list', '--organization', organization.id], env)).stdout).toBe(
      `no live sessions for ${organization.id}\n`,
    );
  }, 60_000);

  it('says what is wrong, with the exit code scripts rely on', async () => {
    const [both, none, noRedis, unknownUser, unknownSession] = await Promise.all([
      gatehouse(['sessions', 'list', '--user', 'a@example.test', '--organization', 'x'], env),
      gatehouse(['sessions', 'revoke'], env),
      gatehouse(['sessions', 'list', '--user', 'a@example.test'], { DATABASE_URL: env.DATABASE_URL! }),
      gatehouse(['sessions', 'list', '--user', 'nobody@example.test'], env),
      gatehouse(['sessions', 'revoke', '--session', 'no-such-session'], env),
    ]);
    expect(both).toMatchObject({ code: 2, stdout: '' });
    expect(both.stderr).toContain('give exactly one of --user, --organization');
    expect(none.code).toBe(2);
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toContain('needs REDIS_URL');
    expect(unknownUser).toMatchObject({ code: 3, stdout: '' });
    expect(unknownUser.stderr).toContain('user nobody@example.test was not found');
    expect(unknownSession.code).toBe(3);
    expect(unknownSession.stderr).toContain('session no-such-session was not found');
  }, 60_000);
});
