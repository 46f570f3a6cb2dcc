import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import * as oidc from 'openid-client';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { discover, loginWithPassword, REDIRECT_URI } from '../support/relying-party.js';

const SECRET = 'hardening-secret-that-is-long-enough-0123456789';
// OIDC Core §3.2.2.1: implicit web clients must use https redirect URIs.
const LEGACY_REDIRECT = 'https://legacy.example.test/callback';
const PASSWORD = 'a password that must never be logged';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

describe('hardening: logs, token rate limit, implicit opt-in, graceful shutdown', () => {
  let gh: TestGatehouse;
  const logs = new Capture();

  beforeAll(async () => {
    gh = await startGatehouse({ RATE_LIMIT_TOKEN_PER_MINUTE: '40' }, { logTo: logs });
    await gh.addClient({ client_id: 'hardening-app', client_secret: SECRET, redirect_uris: [REDIRECT_URI] });
    await gh.addClient({
      client_id: 'legacy-spa',
      redirect_uris: [LEGACY_REDIRECT],
      response_types: ['id_token'],
      grant_types: ['implicit'],
    });
    await gh.addUser('hedy@example.com', PASSWORD);
  });
  afterAll(() => gh.stop());

  it('never writes passwords, secrets, codes or tokens to the log', async () => {
    const config = await discover(gh.issuer, 'hardening-app', SECRET);
    const { tokens, callback } = await loginWithPassword(config, 'hedy@example.com', PASSWORD);
    await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(logs.text).toContain('"requestId"');
    expect(logs.text).toContain('login.succeeded');
    for (const secret of [
      PASSWORD,
      SECRET,
      tokens.access_token,
      tokens.refresh_token!,
      callback.searchParams.get('code')!,
    ]) {
      expect(logs.text).not.toContain(secret);
    }
  });

  it('offers implicit only to a client that opted in (RFC 9700 §2.1.2)', async () => {
    const implicitFor = (clientId: string, redirectUri: string) =>
      `${gh.issuer}/auth?${new URLSearchParams({ client_id: clientId, response_type: 'id_token', scope: 'openid', nonce: 'n', redirect_uri: redirectUri })}`;
    const refused = await fetch(implicitFor('hardening-app', REDIRECT_URI), { redirect: 'manual' });
    const location = new URL(refused.headers.get('location')!);
    const error = new URLSearchParams(location.hash.slice(1) || location.search);
    expect(error.get('error')).toBe('invalid_request');
    expect(error.get('error_description')).toBe('requested response_type is not allowed for this client');
    const allowed = await fetch(implicitFor('legacy-spa', LEGACY_REDIRECT), { redirect: 'manual' });
    expect(allowed.status).toBe(303);
    expect(allowed.headers.get('location')).toMatch(/\/interaction\//);
  });

  it('rate-limits the token endpoint with 429 and Retry-After', async () => {
    const post = () =>
      fetch(`${gh.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    let limited: Response | undefined;
    for (let attempt = 0; attempt < 90 && !limited; attempt += 1) {
      const response = await post();
      if (response.status === 429) limited = response;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited!.json()).toMatchObject({ error: 'temporarily_unavailable' });
  });

  it('lets an in-flight request finish when the server stops', async () => {
    const body = 'grant_type=client_credentials';
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        `${gh.issuer}/healthz`,
        { method: 'POST', headers: { 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5)); // the request is now in flight, its body unfinished
      setTimeout(() => req.end(body.slice(5)), 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = gh.server.stop(5_000);
    // /healthz answers GET only: a complete 405 proves the request was served, not cut.
    expect(await answered).toBe(405);
    await stopped;
    await expect(fetch(`${gh.issuer}/healthz`)).rejects.toThrow();
  });
});
