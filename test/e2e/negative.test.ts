import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { FormBrowser } from '../support/form-browser.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';

const SECRET = 'web-app-secret-that-is-long-enough-0123456789';
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('bad requests get the RFC error, never a half-done result', () => {
  let gh: TestGatehouse;
  let web: oidc.Configuration;

  const token = (body: Record<string, string>, secret = SECRET) =>
    fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('web-app', secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(body),
    });

  /** Runs the pages up to the callback and returns the code without redeeming it. */
  const codeFor = async (challengeOf: string) => {
    const browser = new FormBrowser();
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(challengeOf),
      code_challenge_method: 'S256',
    });
    const atCallback = (location: string) => location.startsWith(REDIRECT_URI);
    let page = await browser.follow(await browser.get(url.href), atCallback);
    page = await browser.submit(page, '/identify', { email: 'alan@example.com' });
    page = await browser.follow(
      await browser.submit(page, '/login', { password: 'correct horse battery' }),
      atCallback,
    );
    return new URL(page.url).searchParams.get('code')!;
  };

  beforeAll(async () => {
    gh = await startGatehouse({ ACCESS_TOKEN_TTL_SECONDS: '2', RATE_LIMIT_LOGIN_PER_MINUTE: '5' });
    await gh.addClient({ client_id: 'web-app', client_secret: SECRET, redirect_uris: [REDIRECT_URI] });
    await gh.addClient({ client_id: 'spa', redirect_uris: [REDIRECT_URI] });
    await gh.addUser('alan@example.com', 'correct horse battery');
    web = await discover(gh.issuer, 'web-app', SECRET);
  });
  afterAll(() => gh.stop());

  it('shows an error page (and never redirects) for an unregistered redirect_uri', async () => {
    const url = oidc.buildAuthorizationUrl(web, {
      redirect_uri: 'https://attacker.example/cb',
      scope: 'openid',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256',
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });

  it('explains an expired or foreign sign-in page in plain words', async () => {
    const response = await fetch(`${gh.issuer}/interaction/not-a-real-interaction`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('This sign-in page has expired');
    expect(page).toMatch(/Reference: <code>[0-9a-f-]{36}<\/code>/);
  });

  it('requires PKCE for a public client', async () => {
    const spa = await discover(gh.issuer, 'spa');
    const url = oidc.buildAuthorizationUrl(spa, { redirect_uri: REDIRECT_URI, scope: 'openid' });
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a missing or wrong code_verifier, then a replayed code', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const code = await codeFor(verifier);
    const missing = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: 'invalid_grant' });

    const code2 = await codeFor(verifier);
    const wrong = await token({
      grant_type: 'authorization_code',
      code: code2,
      redirect_uri: REDIRECT_URI,
      code_verifier: oidc.randomPKCECodeVerifier(),
    });
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });

    const code3 = await codeFor(verifier);
    const ok = await token({
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(ok.status).toBe(200);
    const { access_token } = (await ok.json()) as { access_token: string };
    const replay = await token({
      grant_type: 'authorization_code',
      code: code3,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // RFC 6749 §4.1.2: a replayed code revokes what it issued.
    expect((await oidc.tokenIntrospection(web, access_token)).active).toBe(false);
  });

  it('rejects a wrong client secret with invalid_client', async () => {
    const response = await token({ grant_type: 'client_credentials' }, 'not-the-secret');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('does not offer the password grant (RFC 9700 §2.4)', async () => {
    const response = await token({
      grant_type: 'password',
      username: 'alan@example.com',
      password: 'correct horse battery',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('answers malformed token requests with invalid_request', async () => {
    const noGrant = await token({});
    expect(noGrant.status).toBe(400);
    expect(await noGrant.json()).toMatchObject({ error: 'invalid_request' });
    const json = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: { authorization: basic('web-app', SECRET), 'content-type': 'application/json' },
      body: '{"grant_type":"client_credentials"',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const response = await token({ grant_type: 'authorization_code', code: 'x'.repeat(200_000) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a streamed (chunked) token body past 56 KiB with an OAuth error, and serves the next request', async () => {
    // No Content-Length: the body limit cannot see it coming, the token form reader stops it.
    const form = new TextEncoder().encode(`grant_type=authorization_code&code=${'x'.repeat(60 * 1024)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < form.length; at += 8 * 1024)
          controller.enqueue(form.subarray(at, at + 8 * 1024));
        controller.close();
      },
    });
    const response = await fetch(`${gh.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: basic('web-app', SECRET),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'the request body is too large',
    });
    const next = await token({ grant_type: 'client_credentials' });
    expect(next.status).not.toBe(500);
    expect(await next.json()).toHaveProperty(next.ok ? 'access_token' : 'error');
  });

  it('treats an expired access token as inactive and refuses it at userinfo', async () => {
    const { tokens } = await loginWithPassword(web, 'alan@example.com', 'correct horse battery', {
      scope: 'openid',
    });
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    expect((await oidc.tokenIntrospection(web, tokens.access_token)).active).toBe(false);
    const userinfo = await fetch(`${gh.issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(401);
    expect(userinfo.headers.get('www-authenticate')).toMatch(/invalid_token/);
  });

  it('rate-limits password attempts per account and address', async () => {
    const config = await discover(gh.issuer, 'web-app', SECRET);
    const statuses: string[] = [];
    // Fixed one-minute windows: if a window ends mid-test the count restarts, so allow two windows.
    for (let attempt = 0; attempt < 11 && !statuses.includes('429'); attempt += 1) {
      try {
        await loginWithPassword(config, 'victim@example.com', `guess-${attempt}-password`);
      } catch (error) {
        statuses.push(/did not return to the RP: (\d+)/.exec((error as Error).message)?.[1] ?? '?');
      }
    }
    expect(statuses.slice(0, 5)).toEqual(['401', '401', '401', '401', '401']);
    expect(statuses.at(-1)).toBe('429');
  });
});
