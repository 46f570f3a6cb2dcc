import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { adminApi, expectProblem, type AdminApi, type Json } from '../support/admin-api.js';
import { adminKey, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { ERROR, scimClient } from '../support/scim-client.js';
import { addMember, OPERATOR, uniqueSlug } from '../support/tenancy.js';

const PASSWORD = 'correct horse battery';
const SECRET = 'entitlements-app-secret-0123456789abcdef';
const SCOPE = 'openid email organization offline_access';

/**
 * Plans end to end: the per-organization API rate limit (admin API, SCIM, token endpoint) with
 * 429 and Retry-After in each protocol's format, the monthly-active-user quota at sign-in,
 * features and connection quotas at creation, and a contract's end. The server's clock is
 * injected and stands still, so every request of a test falls in one rate window.
 */
describe('contract entitlements', () => {
  let gh: TestGatehouse;
  let api: AdminApi;
  let config: oidc.Configuration;
  const clock = Date.UTC(2026, 10, 30, 12, 0, 10);
  const oidcConnection = (key: string) => ({
    key,
    type: 'oidc',
    issuer: 'https://idp.example.test',
    client_id: 'gatehouse',
    client_secret: 'upstream-secret',
  });

  const organization = (plan: Json): Promise<Json> =>
    api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: uniqueSlug('plan'), name: `Plan ${plan.tier ?? 'none'}`, plan },
    });
  const member = async (organizationId: string) => {
    const email = `mau-${randomUUID().slice(0, 8)}@example.test`;
    const id = await gh.addUser(email, PASSWORD);
    await addMember(gh, organizationId, id, []);
    return { email, id };
  };
  const signIn = (email: string, organizationId: string) =>
    loginWithPassword(config, email, PASSWORD, { scope: SCOPE, extra: { organization: organizationId } });
  const introspect = async (token: string) => {
    const response = await fetch(`${gh.issuer}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`entitlements-app:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ token }),
    });
    return (await response.json()) as Json;
  };
  const retryAfter = (response: Response | { headers: Headers }) =>
    Number(response.headers.get('retry-after'));

  beforeAll(async () => {
    gh = await startGatehouse({}, { now: () => new Date(clock) });
    api = adminApi(gh, await adminKey(gh));
    await gh.addClient({
      client_id: 'entitlements-app',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'organization', 'offline_access'],
      grant_types: ['authorization_code', 'refresh_token'],
    });
    config = await discover(gh.issuer, 'entitlements-app', SECRET);
  });
  afterAll(() => gh?.stop());

  it('answers the third admin call of an organization key in the window with 429 problem+json', async () => {
    const limited = await organization({ tier: 'enterprise', api_rate_limit: '2/m' });
    const other = await organization({ tier: 'enterprise', api_rate_limit: '2/m' });
    const own = adminApi(gh, await adminKey(gh, limited.id));
    const neighbour = adminApi(gh, await adminKey(gh, other.id));
    await own.expect(200, `/organizations/${limited.id}`);
    await own.expect(200, `/organizations/${limited.id}/entitlements`);
    const refused = await own.call(`/organizations/${limited.id}`);
    const problem = await expectProblem(refused, 429, 'rate_limited');
    expect(problem.detail).toMatch(/retry after \d+ s/);
    // The window is the minute of the injected clock: 50 s of it are left.
    expect(retryAfter(refused)).toBe(50);
    // Another contract's key, and the operator's environment key, are not counted against it.
    await neighbour.expect(200, `/organizations/${other.id}`);
    await api.expect(200, `/organizations/${limited.id}`);
  });

  it('answers SCIM over the limit with a SCIM error, 429 and Retry-After', async () => {
    const limited = await organization({ tier: 'enterprise', api_rate_limit: '2/m' });
    const { directory, token } = await gh.container.admin.directories.create(OPERATOR, limited.id, {
      key: 'scim',
      type: 'scim',
      group_role_map: {},
    });
    const scim = scimClient(gh, directory.id, token);
    expect((await scim.call('GET', '/Users')).status).toBe(200);
    expect((await scim.call('GET', '/Groups')).status).toBe(200);
    const refused = await scim.call('GET', '/Users');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ schemas: [ERROR], status: '429' });
    expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);

    // A plan without SCIM closes the directory: a SCIM 403, whatever the budget.
    await api.expect(200, `/organizations/${limited.id}`, {
      method: 'PATCH',
      json: { plan: { tier: 'basic' } },
    });
    const closed = await scim.call('GET', '/Users');
    expect(closed).toMatchObject({ status: 403, body: { schemas: [ERROR], status: '403' } });
  });

  it('answers the token endpoint over the limit with 429 for the organization’s clients only', async () => {
    const limited = await organization({ tier: 'enterprise', api_rate_limit: '2/m' });
    const free = await organization({ tier: 'enterprise', api_rate_limit: null });
    const clientOf = async (owner: Json) => {
      const clientId = `svc-${owner.slug}`;
      await gh.addClient(
        {
          client_id: clientId,
          client_secret: SECRET,
          grant_types: ['client_credentials'],
          redirect_uris: [],
        },
        owner.id,
      );
      return discover(gh.issuer, clientId, SECRET);
    };
    const service = await clientOf(limited);
    await oidc.clientCredentialsGrant(service);
    await oidc.clientCredentialsGrant(service);
    const refused = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`svc-${limited.slug}:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(refused.status).toBe(429);
    expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
    const unlimited = await clientOf(free);
    for (let i = 0; i < 4; i += 1) await oidc.clientCredentialsGrant(unlimited);
  });

  it('refuses a new user beyond the monthly-active-user quota, and keeps the month’s users in', async () => {
    const small = await organization({ tier: 'enterprise', monthly_active_users: 1 });
    const first = await member(small.id);
    const second = await member(small.id);
    await signIn(first.email, small.id);
    await expect(signIn(second.email, small.id)).rejects.toThrow(/403[\s\S]*limit of monthly active users/);
    await signIn(first.email, small.id);
    const entitlements = await api.expect(200, `/organizations/${small.id}/entitlements`);
    expect(entitlements).toMatchObject({
      tier: 'enterprise',
      quotas: { monthly_active_users: 1 },
      usage: { month: '2026-11', monthly_active_users: 1 },
    });
  });

  it('refuses features the plan lacks and connections beyond the quota', async () => {
    const basic = await organization({ tier: 'basic' });
    const base = `/organizations/${basic.id}`;
    const refused = await api.call(`${base}/connections`, { method: 'POST', json: oidcConnection('okta') });
    expect((await expectProblem(refused, 403, 'feature_not_in_plan')).detail).toMatch(/single sign-on/i);
    await expectProblem(
      await api.call(`${base}/directories`, { method: 'POST', json: { key: 'scim', type: 'scim' } }),
      403,
      'feature_not_in_plan',
    );

    const support = {
      user: 'someone@example.test',
      reason: 'Ticket 4711',
      scope: 'read_only',
      duration: '30m',
    };
    await expectProblem(
      await api.call(`${base}/impersonations`, { method: 'POST', json: support }),
      403,
      'feature_not_in_plan',
    );

    const pro = await organization({ tier: 'pro', connections: 1 });
    await api.expect(201, `/organizations/${pro.id}/connections`, {
      method: 'POST',
      json: oidcConnection('a'),
    });
    const over = await api.call(`/organizations/${pro.id}/connections`, {
      method: 'POST',
      json: oidcConnection('b'),
    });
    await expectProblem(over, 403, 'quota_exceeded');
    const usage = await api.expect(200, `/organizations/${pro.id}/entitlements`);
    expect(usage).toMatchObject({ quotas: { connections: 1 }, usage: { connections: 1 } });
  });

  it('lets only an operator set a plan, and only on a top-level organization', async () => {
    const root = await organization({ tier: 'pro' });
    const own = adminApi(gh, await adminKey(gh, root.id));
    const raise = { method: 'PATCH', json: { plan: { tier: 'enterprise' } } };
    await expectProblem(await own.call(`/organizations/${root.id}`, raise), 403, 'forbidden');
    const child = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: uniqueSlug('child'), name: 'Child', parent: root.id },
    });
    await expectProblem(await api.call(`/organizations/${child.id}`, raise), 422, 'plan_on_sub_organization');
    // The sub-organization has its root's plan.
    expect(await api.expect(200, `/organizations/${child.id}/entitlements`)).toMatchObject({
      tier: 'pro',
      contract_organization_id: root.id,
    });
  });

  it('ends access when the contract ends: sign-in refused, tokens inactive, the admin API still works', async () => {
    const contract = await organization({ tier: 'enterprise', contract_ends_at: '2026-12-31' });
    const { email } = await member(contract.id);
    const { tokens } = await signIn(email, contract.id);
    expect(await introspect(tokens.access_token)).toMatchObject({ active: true });

    // The day before the injected clock's: over.
    const ended = { tier: 'enterprise', contract_ends_at: '2026-11-29' };
    await api.expect(200, `/organizations/${contract.id}`, { method: 'PATCH', json: { plan: ended } });
    expect(await introspect(tokens.access_token)).toEqual({ active: false });
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await expect(signIn(email, contract.id)).rejects.toThrow(/403[\s\S]*access to this service has ended/);
    expect(await api.expect(200, `/organizations/${contract.id}/entitlements`)).toMatchObject({
      access_ended: 'contract_ended',
      contract_ends_at: '2026-11-30T00:00:00.000Z',
    });

    // The operator extends the contract: the same user signs in again.
    await api.expect(200, `/organizations/${contract.id}`, {
      method: 'PATCH',
      json: { plan: { tier: 'enterprise', contract_ends_at: '2027-12-31' } },
    });
    const again = await signIn(email, contract.id);
    expect(await introspect(again.tokens.access_token)).toMatchObject({ active: true });
  });
});
