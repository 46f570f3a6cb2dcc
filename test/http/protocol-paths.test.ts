import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import { routesBesideProtocol } from '../../src/http/protocol-paths.js';

const pathFor = (route: string) => ({ token: '/token', jwks: '/jwks' })[route] ?? `/${route}`;

async function request(app: Koa, method: string, path: string) {
  const server = app.listen(0);
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return { status: response.status, body: await response.text() };
  } finally {
    server.close();
  }
}

/** Our routes in front, then what stands for oidc-provider's endpoints. */
function appWith(...modules: Router[]) {
  const app = new Koa();
  const seen: string[] = [];
  app.use(async (ctx, next) => {
    seen.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  app.use(routesBesideProtocol(modules, pathFor));
  app.use((ctx) => {
    ctx.body = `provider ${ctx.path}`;
  });
  return { app, seen };
}

describe('routesBesideProtocol', () => {
  it('passes protocol endpoints straight to the provider and serves our routes as before', async () => {
    const router = new Router();
    let ranOurMiddleware = 0;
    router.use(async (_ctx, next) => {
      ranOurMiddleware += 1;
      await next();
    });
    router.get('/portal/home', (ctx) => {
      ctx.body = 'portal home';
    });
    // A path-less middleware of ours runs only where one of our routes matches, never on /token.
    const everywhere = appWith(router);
    expect(await request(everywhere.app, 'POST', '/token')).toEqual({ status: 200, body: 'provider /token' });
    expect(await request(everywhere.app, 'GET', '/portal/home')).toEqual({
      status: 200,
      body: 'portal home',
    });
    expect(ranOurMiddleware).toBe(1);

    const scoped = new Router();
    scoped.use('/portal', async (ctx, next) => {
      ctx.set('x-portal', 'yes');
      await next();
    });
    scoped.get('/portal/home', (ctx) => {
      ctx.body = 'portal home';
    });
    scoped.post('/jwks', (ctx) => {
      ctx.body = 'ours';
    });
    const { app } = appWith(scoped);
    expect(await request(app, 'GET', '/portal/home')).toEqual({ status: 200, body: 'portal home' });
    expect(await request(app, 'POST', '/token')).toEqual({ status: 200, body: 'provider /token' });
    // A route of ours at a protocol path still answers there.
    expect(await request(app, 'POST', '/jwks')).toEqual({ status: 200, body: 'ours' });
  });

  it("finds each request its module by the first path segment, in the modules' order", async () => {
    const order: string[] = [];
    const everywhere = new Router();
    everywhere.use(async (ctx, next) => {
      order.push(`everywhere ${ctx.path}`);
      await next();
    });
    const interaction = new Router({ prefix: '/interaction/:uid' });
    interaction.get('/', (ctx) => {
      order.push('interaction page');
      ctx.body = `interaction ${ctx.params.uid}`;
    });
    const admin = new Router({ prefix: '/admin/v1' });
    admin.use(async (_ctx, next) => {
      order.push('admin auth');
      await next();
    });
    admin.get('/organizations', (ctx) => {
      ctx.body = 'organizations';
    });
    const { app } = appWith(everywhere, interaction, admin);
    expect(await request(app, 'GET', '/interaction/abc')).toEqual({ status: 200, body: 'interaction abc' });
    // Admin's middleware is not met on an interaction path; the path-less one is, first.
    expect(order).toEqual(['everywhere /interaction/abc', 'interaction page']);
    expect(await request(app, 'GET', '/admin/v1/organizations')).toEqual({
      status: 200,
      body: 'organizations',
    });
    // A segment no module names goes on to the provider.
    expect(await request(app, 'GET', '/auth')).toEqual({ status: 200, body: 'provider /auth' });
    expect(order.slice(2)).toEqual(['everywhere /admin/v1/organizations', 'admin auth']);
  });
});
