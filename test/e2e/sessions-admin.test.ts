import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { adminApi, expectProblem, type AdminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { addMember, createOrganization } from '../support/tenancy.js';
import { member, sessionApp, signIn, startLogoutReceiver, type LogoutReceiver } from './sessions-fixture.js';

/**
 * Sessions in the admin API (per user, per organization, tenancy) and on the user's own
 * security page (see them, end one), over HTTP.
 */
describe('sessions for administrators and for their users', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let receiver: LogoutReceiver;
  let app: Awaited<ReturnType<typeof sessionApp>>;
  let parent: { id: string; slug: string };
  let child: { id: string };
  let outsider: { id: string; slug: string };
  let delegated: AdminApi;

  beforeAll(async () => {
    gh = await startGatehouse();
    api = adminApi(gh, await adminKey(gh));
    receiver = await startLogoutReceiver();
    app = await sessionApp(gh, receiver.url);
    parent = await createOrganization(gh, 'Sessions parent');
    child = await createOrganization(gh, 'Sessions child', { parent: parent.id });
    outsider = await createOrganization(gh, 'Sessions outsider');
    delegated = adminApi(gh, await adminKey(gh, parent.slug));
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

  it('lists a user’s sessions and ends one or all, each end audited with the key', async () => {
    const { email, userId } = await member(gh, child.id);
    const one = await signIn(app.config, email, child.id);
    const two = await signIn(app.config, email, child.id);
    const listed = (await api.expect(200, `/users/${email}/sessions`)).data;
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({
      user_id: userId,
      organization_id: child.id,
      connection_id: null,
      amr: ['pwd'],
      ip: '127.0.0.1',
      device: expect.any(String),
      idle_expires_at: null,
    });
    expect(Date.parse(listed[0].expires_at) - Date.parse(listed[0].created_at)).toBe(8 * 3_600_000);

    await api.expect(204, `/users/${userId}/sessions/${listed[0].id}`, { method: 'DELETE' });
    expect([await refreshWorks(one.tokens), await refreshWorks(two.tokens)]).toEqual([false, true]);
    await expectProblem(
      await api.call(`/users/${userId}/sessions/${listed[0].id}`, { method: 'DELETE' }),
      404,
      'not_found',
    );
    expect(await api.expect(200, `/users/${userId}/sessions`, { method: 'DELETE' })).toEqual({ ended: 1 });
    expect(await refreshWorks(two.tokens)).toBe(false);
    expect((await api.expect(200, `/users/${userId}/sessions`)).data).toEqual([]);

    const audit = await gh.container.db.audit.list(
      { organizationIds: [child.id], action: 'session.revoke', targetType: 'session' },
      { limit: 10 },
    );
    expect(audit.filter((record) => (record.before as { user_id: string }).user_id === userId)).toHaveLength(
      2,
    );
    expect(audit[0]).toMatchObject({ actor: { type: 'api_key' }, after: { reason: 'revoked' } });
  });

  it('lists and ends the sessions of an organization, leaving other organizations’ sessions', async () => {
    const inside = await member(gh, outsider.id);
    await addMember(gh, parent.id, inside.userId, []);
    const there = await signIn(app.config, inside.email, outsider.id);
    const here = await signIn(app.config, inside.email, parent.id);
    const listed = (await api.expect(200, `/organizations/${outsider.slug}/sessions`)).data;
    expect(listed.map((session: { user_id: string }) => session.user_id)).toEqual([inside.userId]);

    expect(await api.expect(200, `/organizations/${outsider.id}/sessions`, { method: 'DELETE' })).toEqual({
      ended: 1,
    });
    expect(await refreshWorks(there.tokens)).toBe(false);
    expect(await refreshWorks(here.tokens)).toBe(true);
    expect((await api.expect(200, `/organizations/${outsider.id}/sessions`)).data).toEqual([]);
  });

  it('shows a delegated key only its subtree: other tenants’ sessions are 404', async () => {
    const both = await member(gh, outsider.id);
    await addMember(gh, child.id, both.userId, []);
    await signIn(app.config, both.email, outsider.id);
    const mine = await signIn(app.config, both.email, child.id);
    const visible = (await delegated.expect(200, `/users/${both.userId}/sessions`)).data;
    expect(visible.map((session: { organization_id: string }) => session.organization_id)).toEqual([
      child.id,
    ]);

    const all = (await api.expect(200, `/users/${both.userId}/sessions`)).data;
    const foreign = all.find(
      (session: { organization_id: string }) => session.organization_id === outsider.id,
    );
    await expectProblem(
      await delegated.call(`/users/${both.userId}/sessions/${foreign.id}`, { method: 'DELETE' }),
      404,
      'not_found',
    );
    await expectProblem(await delegated.call(`/organizations/${outsider.slug}/sessions`), 404, 'not_found');
    await expectProblem(
      await delegated.call(`/organizations/${outsider.slug}/sessions`, { method: 'DELETE' }),
      404,
      'not_found',
    );
    const stranger = await member(gh, outsider.id);
    await expectProblem(await delegated.call(`/users/${stranger.email}/sessions`), 404, 'not_found');

    expect(await delegated.expect(200, `/users/${both.userId}/sessions`, { method: 'DELETE' })).toEqual({
      ended: 1,
    });
    expect(await refreshWorks(mine.tokens)).toBe(false);
    expect((await api.expect(200, `/users/${both.userId}/sessions`)).data).toHaveLength(1);
  });

  it('answers 404 for unknown users, organizations and sessions, 400 for unknown query fields', async () => {
    await expectProblem(await api.call('/users/usr_nobody/sessions'), 404, 'not_found');
    await expectProblem(await api.call('/organizations/no-such-org/sessions'), 404, 'not_found');
    const { userId } = await member(gh, child.id);
    await expectProblem(
      await api.call(`/users/${userId}/sessions/nope`, { method: 'DELETE' }),
      404,
      'not_found',
    );
    await expectProblem(await api.call(`/users/${userId}/sessions?all=1`), 400, 'invalid_request');
  });

  it('shows users their own sessions on the security page and lets them end one', async () => {
    const { email, userId } = await member(gh, child.id);
    const other = await signIn(app.config, email, child.id);
    const here = await signIn(app.config, email, child.id);
    const security = `${gh.issuer}/account/security`;
    const page = await here.browser.get(security);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Where you are signed in');
    expect(page.body.match(/<li>\s*<strong>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(page.body).toContain('this device');

    const sessions = (await api.expect(200, `/users/${userId}/sessions`)).data as Array<{ id: string }>;
    const [older] = sessions;
    const forged = await here.browser.submit(page, `/sessions/${older!.id}/end`, { csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await refreshWorks(other.tokens)).toBe(true);

    const ended = await here.browser.follow(await here.browser.submit(page, `/sessions/${older!.id}/end`));
    expect(ended.status).toBe(200);
    expect(ended.body).not.toContain(`/sessions/${older!.id}/end`);
    expect(await refreshWorks(other.tokens)).toBe(false);
    expect(await refreshWorks(here.tokens)).toBe(true);
    const audit = await gh.container.db.audit.list(
      { targetId: older!.id, action: 'session.revoke' },
      { limit: 5 },
    );
    expect(audit).toEqual([expect.objectContaining({ actor: { type: 'user', id: userId } })]);

    // Another user's session is not theirs to end.
    const someone = await member(gh, child.id);
    await signIn(app.config, someone.email, child.id);
    const [theirs] = (await api.expect(200, `/users/${someone.userId}/sessions`)).data;
    const csrf = /name="csrf" value="([^"]+)"/.exec((await here.browser.get(security)).body)![1]!;
    const refused = await here.browser.request(`${security}/sessions/${theirs.id}/end`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf }),
    });
    expect(refused.status).toBe(404);
    expect((await api.expect(200, `/users/${someone.userId}/sessions`)).data).toHaveLength(1);

    // Signing out here ends this browser's session: the page asks to sign in.
    const current = (await api.expect(200, `/users/${userId}/sessions`)).data[0];
    await here.browser.submit(await here.browser.get(security), `/sessions/${current.id}/end`);
    expect((await here.browser.get(security)).status).toBe(401);
    expect((await new FormBrowser().get(security)).status).toBe(401);
  });
});
