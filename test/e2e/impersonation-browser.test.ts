import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { OrganizationRecord } from '../../src/domain/ports/tenancy.js';
import { adminApi, type AdminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { atRelyingParty, discover, REDIRECT_URI, startAuthorization } from '../support/relying-party.js';
import { addMember, createOrganization } from '../support/tenancy.js';

const SECRET = 'support-app-secret-that-is-long-enough-0123';
const API = `https://api.example.test/support-${randomUUID()}`;
const REASON = 'Ticket 815: the claims page shows an error';

/**
 * Support access in the browser: the operator opens the single-use link from the admin API, the
 * next sign-in in that browser is the member's (amr "imp"), every hosted page shows the support
 * banner, the application's tokens carry `act` and only the approved permissions, and revoking
 * the impersonation ends the session and its refresh token.
 */
describe('support impersonation in the browser', () => {
  let gh: TestGatehouse;
  let operator: AdminApi;
  let operatorKeyId: string;
  let organization: OrganizationRecord;
  let config: oidc.Configuration;
  const clientId = `support-app-${randomUUID()}`;

  const requestFor = async (userId: string) => {
    const path = `/organizations/${organization.slug}/impersonations`;
    const body = { user: userId, reason: REASON, scope: { permissions: ['claims:read'] }, duration: '20m' };
    return operator.expect(201, path, { method: 'POST', json: body });
  };
  const ticket = async (id: string) =>
    (
      await operator.expect(201, `/organizations/${organization.slug}/impersonations/${id}/tickets`, {
        method: 'POST',
      })
    ).url as string;
  const signIn = async (browser: FormBrowser) => {
    const { page, finish } = await startAuthorization(config, browser, {
      scope: 'openid email organization roles claims:read',
      extra: { resource: API },
    });
    if (!atRelyingParty(page.url)) throw new Error(`the sign-in did not return: ${page.status} ${page.body}`);
    return finish(page.url);
  };

  beforeAll(async () => {
    gh = await startGatehouse();
    const key = await adminKey(gh);
    operator = adminApi(gh, key);
    operatorKeyId = (await gh.container.admin.apiKeys.authenticate(key))!.actor.id;
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'email', 'organization', 'roles', 'claims:read', 'claims:write'],
      resources: [API],
    });
    config = await discover(gh.issuer, clientId, SECRET);
    organization = await createOrganization(gh, 'Browser Support', {
      roles: [{ name: 'agent', permissions: ['claims:read', 'claims:write'] }],
    });
    await operator.expect(200, `/organizations/${organization.slug}`, {
      method: 'PATCH',
      json: { security_policies: { impersonation: { allowed: true, approval: 'none' } } },
    });
  });
  afterAll(() => gh?.stop());

  it('signs the browser in as the member, with act, bounded permissions and the banner on every page', async () => {
    const email = `member-${randomUUID()}@example.test`;
    const userId = await gh.addUser(email, 'correct horse battery');
    await addMember(gh, organization.id, userId, ['agent']);
    const { id } = await requestFor(userId);
    const browser = new FormBrowser();
    const ready = await browser.get(await ticket(id as string));
    expect(ready.status).toBe(200);
    expect(ready.body).toContain('Support access is ready');
    expect(ready.body).toContain(REASON);

    const tokens = await signIn(browser);
    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: gh.issuer, audience: API });
    expect(payload).toMatchObject({
      sub: userId,
      org_id: organization.id,
      roles: [],
      permissions: ['claims:read'],
      act: { sub: `api_key:${operatorKeyId}` },
      impersonation: { id, read_only: false },
      amr: ['imp'],
    });
    expect(decodeJwt(tokens.id_token!)).toMatchObject({
      sub: userId,
      amr: ['imp'],
      permissions: ['claims:read'],
    });

    const account = await browser.get(`${gh.issuer}/account/security`);
    expect(account.status).toBe(200);
    const banner = /<aside class="support-banner"[^>]*>([\s\S]*?)<\/aside>/.exec(account.body)?.[1] ?? '';
    expect(banner.replace(/\s+/g, ' ')).toMatch(
      new RegExp(
        `Support access: <strong>test key environment</strong> is acting as <strong>${email}</strong> until .+ UTC\\. Reason: ${REASON}`,
      ),
    );
    const audit = await gh.container.db.audit.list(
      { action: 'impersonation.session_start', targetId: id as string },
      { limit: 1 },
    );
    expect(audit).toEqual([
      expect.objectContaining({ after: expect.objectContaining({ client_id: clientId }) }),
    ]);

    // No token of the session outlives the impersonation.
    const started = await operator.expect(200, `/organizations/${organization.slug}/impersonations/${id}`);
    expect(payload.exp! * 1000).toBeLessThanOrEqual(Date.parse(started.ends_at as string));
  });

  it('refuses a used link, and ends the session and its refresh token on revocation', async () => {
    const email = `member-${randomUUID()}@example.test`;
    const userId = await gh.addUser(email, 'correct horse battery');
    await addMember(gh, organization.id, userId, ['agent']);
    const { id } = await requestFor(userId);
    const link = await ticket(id as string);
    const browser = new FormBrowser();
    await browser.get(link);
    const used = await new FormBrowser().get(link);
    expect(used.status).toBe(400);
    expect(used.body).toContain('This support link is not valid');

    const tokens = await signIn(browser);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    await operator.expect(200, `/organizations/${organization.slug}/impersonations/${id}/revoke`, {
      method: 'POST',
    });

    const account = await browser.get(`${gh.issuer}/account/security`);
    expect(account.body).not.toContain('is acting as');
    expect(account.body).toContain('You are not signed in to Gatehouse');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection.active).toBe(false);
  });
});
