import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from '../../src/domain/tokens/token-exchange-policy.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminApi } from '../support/admin-api.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';
import { addMember, createOrganization } from '../support/tenancy.js';
import { eventually } from '../support/webhook-receiver.js';
import * as oidc from 'openid-client';

const SECRET = 'web-app-secret-that-is-long-enough-0123456789';
const API = 'https://api.multi-instance.test';

describe('two instances behind one issuer share PostgreSQL and Redis', () => {
  let a: TestGatehouse;
  let b: TestGatehouse;
  let database: Awaited<ReturnType<typeof ownDatabase>>;

  beforeAll(async () => {
    // Its own database: this suite rotates keys, which every other suite's servers would see.
    database = await ownDatabase();
    a = await startGatehouse({ DATABASE_URL: database.url });
    b = await startGatehouse({
      DATABASE_URL: database.url,
      ISSUER: a.issuer,
      REDIS_KEY_PREFIX: a.env.REDIS_KEY_PREFIX,
      COOKIE_KEYS: a.env.COOKIE_KEYS!.join(','),
    });
    await a.addClient({
      client_id: 'web-app',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'profile', 'offline_access', 'organization'],
    });
    await a.addUser('lin@example.com', 'correct horse battery');
    await a.addClient({
      client_id: 'exchanging-app',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', TOKEN_EXCHANGE_GRANT],
      scopes: ['openid', 'organization', 'roles', 'reports:read'],
      resources: [API],
    });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database?.drop();
  });

  it('completes a login whose every request alternates between the instances', async () => {
    let turn = 0;
    const roundRobin = (url: string) => (turn++ % 2 === 1 ? url.replace(a.issuer, b.url) : url);
    const config = await discover(a.issuer, 'web-app', SECRET);
    const { tokens } = await loginWithPassword(config, 'lin@example.com', 'correct horse battery', {
      browser: new FormBrowser(roundRobin),
    });
    expect(turn).toBeGreaterThan(4);

    // The refresh token issued through the pair works at instance B alone.
    const refresh = await fetch(`${b.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`web-app:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }),
    });
    expect(refresh.status).toBe(200);
    const { access_token } = (await refresh.json()) as { access_token: string };
    expect((await oidc.tokenIntrospection(config, access_token)).active).toBe(true);
  });

  it('picks up a key rotation made by the other instance', async () => {
    await a.container.signingKeys.rotate();
    await a.container.providerHost.refreshKeys();
    expect(await b.container.providerHost.refreshKeys()).toBe(true);
    const kidsOf = async (url: string) =>
      ((await (await fetch(`${url}/jwks`)).json()) as { keys: { kid: string }[] }).keys
        .map((key) => key.kid)
        .sort();
    expect(await kidsOf(b.url)).toEqual(await kidsOf(a.url));
  });

  it('refuses sign-ins at one instance once the other suspends the organization', async () => {
    const organization = await createOrganization(a, 'Replicated Co');
    const userId = await a.addUser('ines@example.com', 'correct horse battery');
    await addMember(a, organization.id, userId, []);
    const config = await discover(a.issuer, 'web-app', SECRET);
    // Every browser request goes to B, which keeps the organization in memory after this sign-in.
    const atB = () => new FormBrowser((url) => url.replace(a.issuer, b.url));
    const signInAtB = () =>
      loginWithPassword(config, 'ines@example.com', 'correct horse battery', {
        browser: atB(),
        scope: 'openid email organization',
        extra: { organization: organization.slug },
      });
    expect((await signInAtB()).tokens.claims()).toMatchObject({ org_id: organization.id });

    const api = adminApi(a, await adminKey(a));
    await api.expect(200, `/organizations/${organization.slug}`, {
      method: 'PATCH',
      json: { status: 'suspended' },
    });
    // B hears of the change when PostgreSQL announces the commit: milliseconds, not its cache's age.
    await eventually(
      () =>
        signInAtB().then(
          () => false,
          (error: unknown) => (error as { error?: string }).error === 'access_denied',
        ),
      3_000,
      'the suspension refusing sign-ins at the other instance',
    );
  });

  it('refuses a rotated client secret at one instance once the other rotates it', async () => {
    await a.addClient({
      client_id: 'rotating-service',
      client_secret: 'rotating-service-secret-0123456789abcdef',
      grant_types: ['client_credentials'],
      redirect_uris: [],
    });
    const introspectAtB = async (secret: string) =>
      (
        await fetch(`${b.url}/token/introspection`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`rotating-service:${secret}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ token: 'not-a-token' }),
        })
      ).status;
    // B authenticates the client, and keeps it in memory.
    expect(await introspectAtB('rotating-service-secret-0123456789abcdef')).toBe(200);

    const api = adminApi(a, await adminKey(a));
    const { client_secret } = await api.expect(200, '/clients/rotating-service/secret', { method: 'POST' });
    // Within the announcement's milliseconds, well before a 5-second cache would have let go.
    await eventually(
      async () => (await introspectAtB('rotating-service-secret-0123456789abcdef')) === 401,
      3_000,
      'the old secret refused at the other instance',
    );
    expect(await introspectAtB(client_secret as string)).toBe(200);
  });

  /** A member of two organizations, signed in to the first with a JWT access token for API. */
  const exchangeSetup = async (email: string) => {
    const home = await createOrganization(a, `Home of ${email}`);
    const other = await createOrganization(a, `Other of ${email}`);
    const userId = await a.addUser(email, 'correct horse battery');
    await addMember(a, home.id, userId, []);
    await addMember(a, other.id, userId, []);
    const config = await discover(a.issuer, 'exchanging-app', SECRET);
    const { tokens } = await loginWithPassword(config, email, 'correct horse battery', {
      scope: 'openid organization roles reports:read',
      extra: { organization: home.slug, resource: API },
    });
    return { userId, other, accessToken: tokens.access_token };
  };
  /** That token exchanged at `server` for one of the other organization. */
  const exchangeAt = (server: TestGatehouse, subjectToken: string, organization: string) =>
    fetch(`${server.url}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`exchanging-app:${SECRET}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE_GRANT,
        subject_token: subjectToken,
        subject_token_type: ACCESS_TOKEN_TYPE,
        resource: API,
        organization,
      }),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as object }));

  it('refuses a token exchange at one instance once the other removes the membership', async () => {
    const { userId, other, accessToken } = await exchangeSetup('noor@example.com');
    // B reads the user's standing in the other organization, and keeps it in memory.
    expect((await exchangeAt(b, accessToken, other.slug)).status).toBe(200);
    expect((await exchangeAt(b, accessToken, other.slug)).status).toBe(200);

    const api = adminApi(a, await adminKey(a));
    await api.expect(204, `/organizations/${other.slug}/memberships/${userId}`, { method: 'DELETE' });
    // The leaver's standing is forgotten at B when PostgreSQL announces the commit.
    await eventually(
      async () => (await exchangeAt(b, accessToken, other.slug)).status === 400,
      3_000,
      'the removal refusing exchanges at the other instance',
    );
    expect((await exchangeAt(b, accessToken, other.slug)).body).toMatchObject({
      error: 'invalid_target',
      error_description: 'not a member of that organization',
    });
  });

  // Last: it retires the keys the other tests' tokens were signed with.
  it('forgets the tokens it verified once their signing key is retired', async () => {
    const { other, accessToken } = await exchangeSetup('omar@example.com');
    // A verifies the subject token and remembers it.
    expect((await exchangeAt(a, accessToken, other.slug)).status).toBe(200);
    expect((await exchangeAt(a, accessToken, other.slug)).status).toBe(200);

    // Its key goes from current to previous, then to retired: no longer published.
    await a.container.signingKeys.rotate();
    await a.container.signingKeys.rotate();
    expect(await a.container.providerHost.refreshKeys()).toBe(true);
    expect(await exchangeAt(a, accessToken, other.slug)).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'the subject token is not a valid access token' },
    });
  });
});
