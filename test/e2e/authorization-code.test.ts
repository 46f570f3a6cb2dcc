import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';

const SECRET = 'web-app-secret-that-is-long-enough-0123456789';

describe('authorization code + PKCE through the real pages', () => {
  let gh: TestGatehouse;
  let userId: string;

  beforeAll(async () => {
    gh = await startGatehouse();
    await gh.addClient({
      client_id: 'web-app',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'profile', 'offline_access'],
    });
    await gh.addClient({ client_id: 'spa', redirect_uris: [REDIRECT_URI] });
    await gh.addClient({
      client_id: 'third-party',
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      first_party: false,
    });
    userId = await gh.addUser('Ada@Example.COM', 'correct horse battery', 'Ada Lovelace');
  });
  afterAll(() => gh.stop());

  it('publishes discovery pinned to the issuer, without the password grant', async () => {
    const response = await fetch(`${gh.issuer}/.well-known/openid-configuration`, {
      headers: { host: 'evil.example' },
    });
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(gh.issuer);
    expect(metadata.token_endpoint).toBe(`${gh.issuer}/token`);
    expect(metadata.grant_types_supported).not.toContain('password');
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.pushed_authorization_request_endpoint).toBe(`${gh.issuer}/request`);
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'private_key_jwt']),
    );
  });

  it('signs in a confidential client, with a verifiable ID token and userinfo', async () => {
    const config = await discover(gh.issuer, 'web-app', SECRET);
    const { tokens } = await loginWithPassword(config, ' ada@example.com ', 'correct horse battery');
    const jwks = createRemoteJWKSet(new URL(`${gh.issuer}/jwks`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer: gh.issuer, audience: 'web-app' });
    expect(payload.sub).toBe(userId);
    expect(tokens.refresh_token).toBeTruthy();
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, userId);
    expect(userinfo).toMatchObject({ sub: userId, email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it('signs in a public client with PKCE and no secret', async () => {
    const config = await discover(gh.issuer, 'spa');
    const { tokens } = await loginWithPassword(config, 'ada@example.com', 'correct horse battery', {
      scope: 'openid email',
    });
    expect(tokens.claims()?.sub).toBe(userId);
  });

  it('asks for consent for a third-party client and remembers it', async () => {
    const config = await discover(gh.issuer, 'third-party', SECRET);
    const first = await loginWithPassword(config, 'ada@example.com', 'correct horse battery', {
      scope: 'openid email',
    });
    expect(first.tokens.claims()?.sub).toBe(userId);
    // Same browser session: already signed in and consented, so no page at all this time.
    const again = await loginWithPassword(config, 'ada@example.com', 'x', {
      scope: 'openid email',
      browser: first.browser,
    });
    expect(again.tokens.claims()?.sub).toBe(userId);
  });

  it('accepts a pushed authorization request (PAR)', async () => {
    const config = await discover(gh.issuer, 'web-app', SECRET);
    const verifier = oidc.randomPKCECodeVerifier();
    const { browser } = await loginWithPassword(config, 'ada@example.com', 'correct horse battery');
    const par = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'par-state',
    });
    expect(par.searchParams.get('request_uri')).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    const page = await browser.follow(await browser.get(par.href), (location) =>
      location.startsWith(REDIRECT_URI),
    );
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url), {
      pkceCodeVerifier: verifier,
      expectedState: 'par-state',
    });
    expect(tokens.claims()?.sub).toBe(userId);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const config = await discover(gh.issuer, 'web-app', SECRET);
    const attempt = async (email: string) => {
      await expect(loginWithPassword(config, email, 'wrong password!')).rejects.toThrow(
        /login did not return/,
      );
      try {
        await loginWithPassword(config, email, 'wrong password!');
      } catch (error) {
        return String((error as Error).message)
          .replace(/interaction\/[^/"]+/g, 'interaction/UID')
          .replace(new RegExp(email, 'g'), 'EMAIL');
      }
      return '';
    };
    const unknown = await attempt('nobody@example.com');
    const wrong = await attempt('ada@example.com');
    expect(unknown).toContain('401');
    expect(unknown).toBe(wrong);
  });
});
