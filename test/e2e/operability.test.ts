import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describe('health, readiness and headers', () => {
  let gh: TestGatehouse;
  beforeAll(async () => {
    gh = await startGatehouse();
  });
  afterAll(() => gh.stop());

  it('answers liveness and readiness with the database and store checked', async () => {
    expect((await fetch(`${gh.issuer}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gh.issuer}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', store: 'ok' } });
  });

  it('sets security headers and a request id on every response', async () => {
    const response = await fetch(`${gh.issuer}/.well-known/openid-configuration`, {
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('publishes next, current and previous keys but signs with current', async () => {
    const { keys } = (await (await fetch(`${gh.issuer}/jwks`)).json()) as {
      keys: { kid: string; d?: string }[];
    };
    const states = await gh.container.signingKeys.list();
    const published = states.filter((key) => key.state !== 'retired').map((key) => key.kid);
    expect(keys.map((key) => key.kid).sort()).toEqual(published.sort());
    expect(keys.every((key) => key.d === undefined)).toBe(true);
  });

  it('reports not ready when the store is unreachable', async () => {
    const broken = await startGatehouse({ REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const response = await fetch(`${broken.issuer}/readyz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        status: 'not ready',
        checks: { database: 'ok', store: 'unavailable' },
      });
    } finally {
      await broken.stop();
    }
  });
});
