import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import * as oidc from 'openid-client';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { PATCH_OP, USER_SCHEMA, scimDirectory, type ScimClient } from '../support/scim-client.js';

const PASSWORD = 'correct horse battery';
const SECRET = 'lifecycle-app-secret-0123456789abcdef';

/**
 * Joiner, leaver, returner: a person signed in at an application; the directory deactivates them;
 * within a second their refresh token fails, introspection says inactive and the application gets
 * a back-channel logout; reactivated, they sign in again.
 */
describe('SCIM lifecycle tied to access', () => {
  let gh: TestGatehouse;
  let scim: ScimClient;
  let domain: string;
  let organizationId: string;
  let config: oidc.Configuration;
  let receiver: Server;
  const logoutTokens: string[] = [];

  beforeAll(async () => {
    gh = await startGatehouse();
    ({ scim, domain } = await scimDirectory(gh, { name: 'Lifecycle' }).then((setup) => {
      organizationId = setup.organization.id;
      return setup;
    }));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const clientId = `lifecycle-${randomUUID()}`;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'offline_access'],
      grant_types: ['authorization_code', 'refresh_token'],
      backchannel_logout_uri: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/backchannel`,
    });
    config = await discover(gh.issuer, clientId, SECRET);
  });
  afterAll(async () => {
    receiver?.close();
    await gh?.stop();
  });

  const signIn = (email: string) =>
    loginWithPassword(config, email, PASSWORD, {
      scope: 'openid email organization offline_access',
      extra: { prompt: 'consent', organization: organizationId },
    });
  const setActive = (id: string, active: boolean) =>
    scim.call('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active } }],
    });

  it('revokes a deactivated user’s tokens within a second and tells the application', async () => {
    const email = `leaver.${randomUUID().slice(0, 6)}@${domain}`;
    const userId = await gh.addUser(email, PASSWORD);
    const created = await scim.call('POST', '/Users', {
      schemas: [USER_SCHEMA],
      userName: email,
      active: true,
    });
    expect(created.status).toBe(201);
    const { tokens } = await signIn(email);
    expect(tokens.claims()).toMatchObject({ sub: userId, org_id: organizationId });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(true);

    const started = Date.now();
    expect((await setActive(created.body.id, false)).status).toBe(200);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);

    for (let waited = 0; logoutTokens.length === 0 && waited < 50; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(Date.now() - started).toBeLessThan(1_500);
    const claims = decodeJwt(logoutTokens.at(-1)!);
    expect(claims).toMatchObject({
      iss: gh.issuer,
      sub: userId,
      aud: config.clientMetadata().client_id,
      events: { 'http://schemas.openid.net/event/backchannel-logout': {} },
    });
    expect(claims.nonce).toBeUndefined();

    // Deactivated: a new sign-in to the organization is refused.
    await expect(signIn(email)).rejects.toMatchObject({ error: 'access_denied' });

    expect((await setActive(created.body.id, true)).status).toBe(200);
    const back = await signIn(email);
    expect(back.tokens.claims()).toMatchObject({ sub: userId, org_id: organizationId });
    expect((await oidc.refreshTokenGrant(config, back.tokens.refresh_token!)).access_token).toEqual(
      expect.any(String),
    );
  });

  it('treats a DELETE like a deactivation, and records each step in the audit log', async () => {
    const email = `deleted.${randomUUID().slice(0, 6)}@${domain}`;
    const userId = await gh.addUser(email, PASSWORD);
    const created = await scim.call('POST', '/Users', { schemas: [USER_SCHEMA], userName: email });
    const { tokens } = await signIn(email);
    expect((await scim.call('DELETE', `/Users/${created.body.id}`)).status).toBe(204);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const audit = await gh.container.db.audit.list(
      { organizationIds: [organizationId], targetId: created.body.id },
      { limit: 10 },
    );
    expect(audit.map((entry) => entry.action).sort()).toEqual([
      'directory_user.create',
      'directory_user.delete',
    ]);
    const membership = await gh.container.db.memberships.find(userId, organizationId);
    const changes = await gh.container.db.audit.list(
      { organizationIds: [organizationId], targetId: membership!.id },
      { limit: 10 },
    );
    expect(changes.map((entry) => [entry.action, entry.actor.type])).toEqual(
      expect.arrayContaining([['membership.update', 'directory']]),
    );
  });
});
