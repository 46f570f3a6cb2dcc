import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa, { type Context } from 'koa';
import type { HttpRequestObservation } from '../../../src/lib/metrics/prometheus-metrics.js';
import { federationOutcomeOf } from '../../../src/http/metrics/federation-outcome.js';
import { routeLabel } from '../../../src/http/metrics/route-label.js';
import { scimResourceOf } from '../../../src/http/metrics/scim-metrics.js';
import { httpMetrics } from '../../../src/http/middleware/metrics.js';

describe('routeLabel', () => {
  it('keeps the template a router matched', () => {
    expect(routeLabel('/admin/v1/organizations/:organization', '/admin/v1/organizations/org_123')).toBe(
      '/admin/v1/organizations/:organization',
    );
    expect(routeLabel('/scim/v2/:directory{/*rest}', '/scim/v2/dir_1/Users/u_1')).toBe(
      '/scim/v2/:directory{/*rest}',
    );
    expect(routeLabel('/auth/:uid', '/auth/abc')).toBe('/auth/:uid');
  });

  it('falls back to a fixed path or family, never to the path itself', () => {
    expect(routeLabel(undefined, '/token')).toBe('/token');
    expect(routeLabel(undefined, '/.well-known/openid-configuration')).toBe(
      '/.well-known/openid-configuration',
    );
    expect(routeLabel(undefined, '/admin/v1/organizations/org_123')).toBe('/admin/v1/*');
    expect(routeLabel(undefined, '/scim/v2/dir_1/Users')).toBe('/scim/v2/:directory/*');
    expect(routeLabel(undefined, '/interaction/uid_1/login')).toBe('/interaction/:uid/*');
    expect(routeLabel(undefined, '/someone@example.com')).toBe('other');
    expect(routeLabel(undefined, '/token/org_123')).toBe('other');
  });

  it('reads the source of a regular expression left by a path-less layer as no template', () => {
    expect(routeLabel('/admin/v1(?:\\/|$)', '/admin/v1/organizations/org_123')).toBe('/admin/v1/*');
    expect(routeLabel(/^\/x/, '/x/1')).toBe('other');
    expect(routeLabel('', '/jwks')).toBe('/jwks');
  });
});

describe('httpMetrics middleware', () => {
  const seen: HttpRequestObservation[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const router = new Router({ prefix: '/admin/v1' });
    router.use(async (ctx, next) => {
      if (ctx.get('authorization') !== 'Bearer key') ctx.throw(401);
      await next();
    });
    router.get('/organizations/:organization', (ctx) => {
      ctx.body = { id: ctx.params.organization };
    });
    const app = new Koa();
    app.silent = true;
    app.use(httpMetrics({ httpRequest: (observation) => seen.push(observation) }));
    app.use(router.routes());
    server = createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const request = async (path: string, init: RequestInit = {}) => {
    seen.length = 0;
    await (await fetch(`${base}${path}`, init)).arrayBuffer();
    return seen[0];
  };
  const authorized = { headers: { authorization: 'Bearer key' } };

  it('labels a request by its route template, not its id', async () => {
    expect(await request('/admin/v1/organizations/org_123', authorized)).toMatchObject({
      method: 'GET',
      route: '/admin/v1/organizations/:organization',
      status: 200,
    });
  });

  it('labels a request refused before routing by its family', async () => {
    expect(await request('/admin/v1/organizations/org_123')).toMatchObject({
      route: '/admin/v1/*',
      status: 401,
    });
  });

  it('records the status an escaping error ends in: its own, else 500', async () => {
    const recorded: HttpRequestObservation[] = [];
    const middleware = httpMetrics({ httpRequest: (observation) => recorded.push(observation) });
    const ctx = (matched?: string) =>
      ({ method: 'POST', path: '/token', _matchedRoute: matched, respond: true }) as unknown as Context;
    const failing = (error: unknown) => () => Promise.reject(error);
    await expect(middleware(ctx('/token'), failing(new Error('boom')))).rejects.toThrow('boom');
    const forbidden = Object.assign(new Error('no'), { status: 403 });
    await expect(middleware(ctx(), failing(forbidden))).rejects.toBe(forbidden);
    expect(recorded.map(({ route, status }) => [route, status])).toEqual([
      ['/token', 500],
      ['/token', 403],
    ]);
  });

  it('labels an unknown path as other', async () => {
    const observation = await request('/people/someone@example.com', { method: 'DELETE' });
    expect(observation).toMatchObject({ route: 'other', status: 404, method: 'DELETE' });
    expect(observation?.seconds).toBeGreaterThanOrEqual(0);
  });
});

describe('SCIM resources and federation outcomes', () => {
  it('names the SCIM resource from a fixed list', () => {
    expect(scimResourceOf('/scim/v2/dir_1/Users/usr_1')).toBe('Users');
    expect(scimResourceOf('/scim/v2/dir_1/Groups')).toBe('Groups');
    expect(scimResourceOf('/scim/v2/dir_1/ServiceProviderConfig')).toBe('ServiceProviderConfig');
    expect(scimResourceOf('/scim/v2/dir_1/.search')).toBe('other');
    expect(scimResourceOf('/scim/v2/dir_1/usr_1')).toBe('other');
  });

  it('tells an IdP at fault from an answer that failed a check', () => {
    expect(federationOutcomeOf('upstream_error')).toBe('upstream_error');
    expect(federationOutcomeOf('connection_unavailable')).toBe('upstream_error');
    expect(federationOutcomeOf('saml_invalid_signature')).toBe('rejected');
    expect(federationOutcomeOf('unknown_state')).toBe('rejected');
  });
});
