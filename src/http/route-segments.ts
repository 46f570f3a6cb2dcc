import Router from '@koa/router';
import type Koa from 'koa';

/** A router and the middleware that runs it: its routes, then its 405/501 answers. */
export interface SegmentRoutes {
  router: Router;
  dispatch: Koa.Middleware;
}

/** A path's first segment, when it is a literal one (not a parameter or a pattern). */
const LITERAL_FIRST_SEGMENT = /^\/([A-Za-z0-9._~-]+)(?=\/|$)/;

// Routes match without regard to case (the router's default), so segments are compared in lower case.
const firstSegment = (path: string) => LITERAL_FIRST_SEGMENT.exec(path)?.[1]?.toLowerCase();

/**
 * The literal first segments of every route and middleware path of a module; undefined when one
 * of them could match a path under any segment (a path-less middleware, a pattern).
 */
function segmentsOf(module: Router): Set<string> | undefined {
  const segments = new Set<string>();
  for (const layer of module.stack) {
    const segment = typeof layer.path === 'string' ? firstSegment(layer.path) : undefined;
    if (segment === undefined) return undefined;
    segments.add(segment);
  }
  return segments;
}

/**
 * Our route modules, one router per first path segment (`/admin`, `/interaction`, `/portal`...)
 * holding the modules with paths under it, in their order. A router matches a request by trying
 * each of its paths in turn: with every module in one router, an authorization or interaction
 * request was tried against some 200 paths, the admin API's among them. A module one of whose
 * paths could lie under any segment is in every router, so each request still meets every path
 * that could match it, in the same order.
 */
export function segmentRouters(modules: readonly Router[]): (path: string) => SegmentRoutes {
  const scoped = modules.map((module) => ({ module, segments: segmentsOf(module) }));
  const routerOf = (segment: string | undefined): SegmentRoutes => {
    const router = new Router();
    for (const { module, segments } of scoped)
      if (!segments || (segment !== undefined && segments.has(segment))) router.use(module.routes());
    const [routes, allowedMethods] = [router.routes(), router.allowedMethods()] as Koa.Middleware[];
    return { router, dispatch: (ctx, next) => routes!(ctx, () => allowedMethods!(ctx, next)) };
  };
  const named = new Set(scoped.flatMap(({ segments }) => [...(segments ?? [])]));
  const bySegment = new Map([...named].map((segment) => [segment, routerOf(segment)]));
  const elsewhere = routerOf(undefined);
  return (path) => bySegment.get(firstSegment(path) ?? '') ?? elsewhere;
}
