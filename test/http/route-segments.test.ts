import { describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import { segmentRouters } from '../../src/http/route-segments.js';

/** The module a layer comes from, by how its path starts. */
const moduleOf = (path: string) =>
  path.startsWith('/interaction')
    ? 'interaction'
    : path.startsWith('/admin')
      ? 'admin'
      : /^\/(healthz|readyz)/.test(path)
        ? 'health'
        : 'anywhere';

/** Which of the modules a router holds layers of, in its order. */
const modulesIn = (router: Router) => [...new Set(router.stack.map((layer) => moduleOf(String(layer.path))))];

describe('segmentRouters', () => {
  const anywhere = new Router();
  anywhere.get('/:page', () => undefined);
  const interaction = new Router({ prefix: '/interaction/:uid' });
  interaction.get('/', () => undefined);
  interaction.post('/login', () => undefined);
  const admin = new Router({ prefix: '/admin/v1' });
  admin.use(async (_ctx, next) => next());
  admin.get('/organizations', () => undefined);
  const health = new Router();
  health.get('/healthz', () => undefined);
  health.get('/readyz', () => undefined);
  const routesFor = segmentRouters([anywhere, interaction, admin, health]);
  const routerFor = (path: string) => routesFor(path).router;

  it('gives a path the modules under its first segment and those that could match anywhere, in order', () => {
    expect(modulesIn(routerFor('/interaction/abc/login'))).toEqual(['anywhere', 'interaction']);
    expect(modulesIn(routerFor('/admin/v1/organizations'))).toEqual(['anywhere', 'admin']);
    expect(modulesIn(routerFor('/readyz'))).toEqual(['anywhere', 'health']);
    expect(modulesIn(routerFor('/auth'))).toEqual(['anywhere']);
    expect(modulesIn(routerFor('/'))).toEqual(['anywhere']);
    expect(routerFor('/interaction/a')).toBe(routerFor('/interaction/b/login'));
  });

  it('matches the first segment without regard to case, as the routes themselves do', () => {
    expect(routerFor('/Interaction/abc')).toBe(routerFor('/interaction/abc'));
    expect(routerFor('/ADMIN/v1/organizations').match('/ADMIN/v1/organizations', 'GET').route).toBe(true);
  });
});
