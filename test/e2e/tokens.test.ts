import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { FormBrowser } from '../support/form-browser.js';
import {
  atRelyingParty,
  discover,
  loginWithPassword,
  REDIRECT_URI,
  startAuthorization,
} from '../support/relying-party.js';

const SECRET = 'web-app-secret-that-is-long-enough-0123456789';
const API = 'https://api.example.test/billing';

describe('refresh, client credentials, introspection, revocation, logout, key rotation', () => {
  let gh: TestGatehouse;
  let web: oidc.Configuration;
  let database: Awaited<ReturnType<typeof ownDatabase>>;

  beforeAll(async () => {
    // Its own database: this suite rotates keys, which every other suite's servers would see.
    database = await ownDatabase();
    gh = await startGatehouse({ DATABASE_URL: database.url });
    await gh.addClient({
      client_id: 'web-app',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      post_logout_redirect_uris: ['http://127.0.0.1:9/'],
      scopes: ['openid', 'email', 'profile', 'offline_access'],
    });
    await gh.addClient({
      client_id: 'billing-service',
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      resources: [API],
      scopes: ['invoices:read'],
    });
    await gh.addUser('grace@example.com', 'correct horse battery');
    web = await discover(gh.issuer, 'web-app', SECRET);
  });
  afterAll(async () => {
    await gh?.stop();
    await database?.drop();
  });

  it('rotates refresh tokens and revokes the grant when an old one is replayed', async () => {
    const { tokens } = await loginWithPassword(web, 'grace@example.com', 'correct horse battery');
    const first = tokens.refresh_token!;
    const second = await oidc.refreshTokenGrant(web, first);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first);

    // RFC 9700 §4.14.2: reuse of a rotated refresh token means theft; the whole grant dies.
    await expect(oidc.refreshTokenGrant(web, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(web, second.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    const introspected = await oidc.tokenIntrospection(web, second.access_token);
    expect(introspected.active).toBe(false);
  });

  // Replays racing the first use: each request reads the token unused before any consumes it.
  const settle = async <T>(attempts: Array<Promise<T>>) => {
    const outcomes = await Promise.allSettled(attempts);
    const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    return { won, lost };
  };

  it('lets one of several concurrent uses of a refresh token through, and the grant dies', async () => {
    const { tokens } = await loginWithPassword(web, 'grace@example.com', 'correct horse battery');
    const { won, lost } = await settle(
      Array.from({ length: 4 }, () => oidc.refreshTokenGrant(web, tokens.refresh_token!)),
    );
    expect(won).toHaveLength(1);
    for (const refusal of lost) expect(refusal).toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(web, won[0]!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('redeems a code once when it is presented several times at once, and the grant dies', async () => {
    const browser = new FormBrowser();
    const { page: first, finish } = await startAuthorization(web, browser, {
      scope: 'openid email profile offline_access',
    });
    const password = await browser.submit(first, '/identify', { email: 'grace@example.com' });
    const callback = await browser.follow(
      await browser.submit(password, '/login', { password: 'correct horse battery' }),
      atRelyingParty,
    );
    const { won, lost } = await settle(Array.from({ length: 4 }, () => finish(callback.url)));
    expect(won).toHaveLength(1);
    for (const refusal of lost) expect(refusal).toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(web, won[0]!.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('issues a JWT access token (RFC 9068) for a named API with client credentials', async () => {
    const billing = await discover(gh.issuer, 'billing-service', SECRET);
    const tokens = await oidc.clientCredentialsGrant(billing, { resource: API, scope: 'invoices:read' });
    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
      issuer: gh.issuer,
      audience: API,
    });
    expect(protectedHeader.typ).toBe('at+jwt');
    expect(payload.client_id).toBe('billing-service');
    expect(payload.scope).toBe('invoices:read');
  });

  it('refuses a resource the client is not allowed', async () => {
    const billing = await discover(gh.issuer, 'billing-service', SECRET);
    await expect(
      oidc.clientCredentialsGrant(billing, { resource: 'https://other.example.test/' }),
    ).rejects.toMatchObject({
      error: 'invalid_target',
    });
  });

  it('introspects and revokes an access token', async () => {
    const { tokens } = await loginWithPassword(web, 'grace@example.com', 'correct horse battery', {
      scope: 'openid',
    });
    expect((await oidc.tokenIntrospection(web, tokens.access_token)).active).toBe(true);
    await oidc.tokenRevocation(web, tokens.access_token);
    expect((await oidc.tokenIntrospection(web, tokens.access_token)).active).toBe(false);
  });

  it('authenticates a client with private_key_jwt', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    await gh.addClient({
      client_id: 'jwt-client',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [jwk] },
      grant_types: ['client_credentials'],
      resources: [API],
      scopes: ['invoices:read'],
    });
    const config = await oidc.discovery(
      new URL(gh.issuer),
      'jwt-client',
      undefined,
      oidc.PrivateKeyJwt({ key: privateKey, kid: 'k1' }),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    const tokens = await oidc.clientCredentialsGrant(config, { resource: API });
    expect(tokens.access_token).toBeTruthy();
    const other = await generateKeyPair('ES256');
    const forged = await oidc.discovery(
      new URL(gh.issuer),
      'jwt-client',
      undefined,
      oidc.PrivateKeyJwt({ key: other.privateKey, kid: 'k1' }),
      {
        execute: [oidc.allowInsecureRequests],
      },
    );
    await expect(oidc.clientCredentialsGrant(forged, { resource: API })).rejects.toMatchObject({
      error: 'invalid_client',
    });
  });

  it('ends the session through RP-initiated logout', async () => {
    const { tokens, browser } = await loginWithPassword(web, 'grace@example.com', 'correct horse battery', {
      scope: 'openid',
    });
    const logout = oidc.buildEndSessionUrl(web, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:9/',
    });
    const confirm = await browser.get(logout.href);
    expect(confirm.status).toBe(200);
    const done = await browser.follow(
      await browser.submit(confirm, '/session/end/confirm', { logout: 'yes' }),
      (location) => location.startsWith('http://127.0.0.1:9/'),
    );
    expect(done.url).toBe('http://127.0.0.1:9/');
    // The session is gone: a new authorization request lands on the sign-in page again.
    const verifier = oidc.randomPKCECodeVerifier();
    const auth = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const page = await browser.follow(await browser.get(auth.href));
    expect(page.body).toContain('/identify');
  });

  it('keeps old tokens verifiable across a key rotation and signs new ones with the new key', async () => {
    const before = await loginWithPassword(web, 'grace@example.com', 'correct horse battery');
    const oldKid = decodeProtectedHeader(before.tokens.id_token!).kid;

    await gh.container.signingKeys.rotate();
    expect(await gh.container.providerHost.refreshKeys()).toBe(true);

    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    await expect(
      jwtVerify(before.tokens.id_token!, jwks, {
        issuer: gh.issuer,
        audience: 'web-app',
        currentDate: new Date(),
      }),
    ).resolves.toBeTruthy();
    const after = await loginWithPassword(web, 'grace@example.com', 'correct horse battery', {
      scope: 'openid',
    });
    const newKid = decodeProtectedHeader(after.tokens.id_token!).kid;
    expect(newKid).not.toBe(oldKid);
    await expect(
      jwtVerify(after.tokens.id_token!, jwks, { issuer: gh.issuer, audience: 'web-app' }),
    ).resolves.toBeTruthy();
    // The pre-rotation refresh token still works: grants live in PostgreSQL, not in the provider.
    const refreshed = await oidc.refreshTokenGrant(web, before.tokens.refresh_token!);
    expect(decodeProtectedHeader(refreshed.id_token!).kid).toBe(newKid);
  });
});
