import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as oidc from 'openid-client';
import { adminApi } from '../support/admin-api.js';
import { FormBrowser } from '../support/form-browser.js';
import { adminKey, ownDatabase, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { REDIRECT_URI, discover, loginWithPassword, startAuthorization } from '../support/relying-party.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

const TOKEN = randomBytes(32).toString('base64url');
const SECRET = 'metrics-app-secret-that-is-long-enough-0123';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text exposition format (version 0.0.4), samples only. */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The sum of a metric's samples whose labels include `labels`. */
const total = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);

/**
 * A database of its own: every server on a database delivers all of its webhooks, so another
 * suite's server would deliver (and count) this suite's.
 */
describe('Prometheus metrics', () => {
  let database: Awaited<ReturnType<typeof ownDatabase>>;
  let receiver: WebhookReceiver;
  let gh: TestGatehouse;
  let web: oidc.Configuration;
  const email = `metrics-${randomUUID()}@example.com`;
  const clientId = `metrics-app-${randomUUID()}`;

  const scrape = (token: string | null = TOKEN) =>
    fetch(`${gh.url}/metrics`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const samples = async () => {
    const response = await scrape();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  };

  beforeAll(async () => {
    database = await ownDatabase();
    receiver = await startWebhookReceiver();
    gh = await startGatehouse({ DATABASE_URL: database.url, METRICS_TOKEN: TOKEN, WEBHOOK_POLL_MS: '100' });
    await gh.addClient({
      client_id: clientId,
      client_secret: SECRET,
      redirect_uris: [REDIRECT_URI],
      scopes: ['openid', 'email', 'profile', 'offline_access'],
    });
    await gh.addUser(email, 'correct horse battery');
    web = await discover(gh.issuer, clientId, SECRET);
  }, 60_000);
  afterAll(async () => {
    await gh?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('refuses a scrape without the token or with a wrong one (RFC 6750 §3)', async () => {
    const anonymous = await scrape(null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await anonymous.text()).not.toContain('gatehouse_');

    const wrong = await scrape(TOKEN.slice(1));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const basic = await fetch(`${gh.url}/metrics`, {
      headers: { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(401);
  });

  it('counts a password sign-in, a wrong password, an issued token and a refused token request', async () => {
    const before = await samples();

    const browser = new FormBrowser();
    const { page } = await startAuthorization(web, browser);
    const identified = await browser.submit(page, '/identify', { email });
    const refused = await browser.submit(identified, '/login', { password: 'not the password' });
    expect(refused.status).toBe(401);
    const { tokens } = await loginWithPassword(web, email, 'correct horse battery');
    expect(tokens.access_token).toBeTruthy();
    await expect(oidc.refreshTokenGrant(web, 'no-such-refresh-token')).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    const after = await samples();
    const moved = (name: string, labels: Record<string, string>) =>
      total(after, name, labels) - total(before, name, labels);
    expect(moved('gatehouse_sign_ins_total', { method: 'password', outcome: 'success' })).toBe(1);
    expect(moved('gatehouse_sign_ins_total', { method: 'password', outcome: 'failure' })).toBe(1);
    expect(moved('gatehouse_tokens_issued_total', { grant_type: 'authorization_code' })).toBe(1);
    expect(moved('gatehouse_oauth_errors_total', { endpoint: 'token', error: 'invalid_grant' })).toBe(1);
    expect(
      moved('gatehouse_http_requests_total', { method: 'POST', route: '/token', status_class: '2xx' }),
    ).toBe(1);
    expect(
      moved('gatehouse_http_requests_total', { method: 'POST', route: '/token', status_class: '4xx' }),
    ).toBe(1);
    expect(moved('gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/token' })).toBe(
      2,
    );
    // The interaction pages are counted by template, never by their uid.
    const interactionRoutes = new Set(
      after
        .filter((sample) => sample.name === 'gatehouse_http_requests_total')
        .map((sample) => sample.labels.route!)
        .filter((route) => route.startsWith('/interaction')),
    );
    expect(interactionRoutes.size).toBeGreaterThan(0);
    for (const route of interactionRoutes) expect(route).toMatch(/^\/interaction\/:uid/);
    // Runtime metrics of the process, under the same prefix.
    expect(total(after, 'gatehouse_process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('labels by route template: no id, tenant, email or client in any label', async () => {
    const key = await adminKey(gh);
    const response = await fetch(`${gh.url}/admin/v1/organizations/org_123`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(404);
    const anonymous = await fetch(`${gh.url}/admin/v1/organizations/org_456`);
    expect(anonymous.status).toBe(401);
    const directory = randomUUID();
    const scim = await fetch(`${gh.url}/scim/v2/${directory}/Users/${randomUUID()}`);
    expect(scim.status).toBe(401);
    const connection = `con_${randomUUID()}`;
    const before = total(await samples(), 'gatehouse_federation_responses_total', {
      protocol: 'oidc',
      outcome: 'rejected',
    });
    const callback = await fetch(`${gh.url}/sso/oidc/${connection}/callback?state=unknown&code=x`);
    expect(callback.status).toBe(400);

    const text = await (await scrape()).text();
    const after = parseExposition(text);
    expect(
      total(after, 'gatehouse_federation_responses_total', { protocol: 'oidc', outcome: 'rejected' }),
    ).toBe(before + 1);
    // The key check runs before any route: the family, not the regular expression of its layer.
    expect(
      total(after, 'gatehouse_http_requests_total', {
        method: 'GET',
        route: '/admin/v1/*',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(after, 'gatehouse_http_requests_total', {
        method: 'GET',
        route: '/admin/v1/organizations/:organization',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(after, 'gatehouse_scim_requests_total', {
        resource: 'Users',
        method: 'GET',
        status_class: '4xx',
      }),
    ).toBeGreaterThanOrEqual(1);
    for (const secretive of ['org_123', 'org_456', directory, connection, email, clientId, key])
      expect(text).not.toContain(secretive);
  });

  it('counts webhook deliveries by outcome, with their duration', async () => {
    const api = adminApi(gh, await adminKey(gh));
    const org = await api.expect(201, '/organizations', {
      method: 'POST',
      json: { slug: `metrics-${randomUUID().slice(0, 8)}`, name: 'Metrics' },
    });
    receiver.answer('/refusing', () => 503);
    for (const path of ['/accepting', '/refusing'])
      await api.expect(201, `/organizations/${org.slug}/webhooks`, {
        method: 'POST',
        json: { url: receiver.url(path) },
      });
    await api.expect(201, `/organizations/${org.slug}/roles`, {
      method: 'POST',
      json: { name: 'viewer', permissions: ['read'] },
    });

    const counted = async (outcome: string) =>
      total(await samples(), 'gatehouse_webhook_deliveries_total', { outcome });
    await eventually(async () => (await counted('delivered')) >= 1 && (await counted('failed')) >= 1);
    expect(receiver.at('/accepting')).toHaveLength(1);
    const after = await samples();
    expect(total(after, 'gatehouse_webhook_delivery_duration_seconds_count')).toBe(
      total(after, 'gatehouse_webhook_deliveries_total'),
    );
  });

  it('keeps the number of series bounded whatever ids the requests carry', async () => {
    const shapes = (id: string) => [
      `/admin/v1/organizations/${id}`,
      `/admin/v1/organizations/${id}/members/${id}`,
      `/scim/v2/${id}/Users/${id}`,
      `/scim/v2/${id}/Groups?filter=${id}`,
      `/interaction/${id}`,
      `/auth/${id}`,
      `/sso/oidc/${id}/callback`,
      `/${id}`,
      `/${id}/${id}/${id}`,
    ];
    const round = async () => {
      const ids = Array.from({ length: 20 }, () => randomUUID());
      await Promise.all(
        ids.flatMap(shapes).map(async (path) => (await fetch(`${gh.url}${path}`)).arrayBuffer()),
      );
      // Runtime metrics (GC kinds, handle types) come and go on their own: only ours are counted.
      const runtime = /^gatehouse_(process|nodejs)_/;
      return parseExposition(await (await scrape()).text()).filter((sample) => !runtime.test(sample.name))
        .length;
    };
    await round();
    const settled = await round();
    // 180 requests with fresh ids: the same series, only their counts moved.
    expect(await round()).toBe(settled);
  });
});
