import { bodyParser } from '@koa/bodyparser';
import type Router from '@koa/router';
import type { RouterMiddleware } from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { ForbiddenError } from '../../domain/errors.js';
import type { AdminPrincipal } from '../../domain/organizations/admin-principal.js';
import { ProblemError } from './problem.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Permission = 'read' | 'write';
export const DEFAULT_BODY_LIMIT = '64kb';

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Parsed<S, Otherwise> = S extends z.ZodType ? z.output<S> : Otherwise;

export interface HandlerInput<P, Q, B> {
  params: Parsed<P, Record<string, string>>;
  query: Parsed<Q, Record<string, never>>;
  body: Parsed<B, undefined>;
  principal: AdminPrincipal;
  ctx: Context;
}

export interface RouteDefinition<P, Q, B> {
  method: HttpMethod;
  /** Koa syntax: `/organizations/:organization/roles/:role`. */
  path: string;
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  /** Defaults to `read` for GET and `write` for everything else. */
  permission?: Permission;
  handler(input: HandlerInput<P, Q, B>): Promise<RouteResult>;
}

type ObjectSchema = z.ZodObject | undefined;
export type AdminRoute = RouteDefinition<ObjectSchema, ObjectSchema, z.ZodType | undefined> & {
  permission: Permission;
};

/** Names of the `:params` in a path, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/:(\w+)/g)].map((match) => match[1] as string);
}

// DESIGN.md: unknown fields are rejected in admin input, whatever the route author wrote.
function strict<S>(schema: S): S {
  if (!(schema instanceof z.ZodObject) || schema.def.catchall?._zod.def.type === 'never') return schema;
  // .strict() makes a new schema: carry the metadata (an OpenAPI component id) over to it.
  return schema.strict().meta(schema.meta() ?? {}) as S;
}

/** Checks the definition once, at boot: a params schema must name exactly the path's params. */
export function defineRoute<
  P extends ObjectSchema = undefined,
  Q extends ObjectSchema = undefined,
  B extends z.ZodType | undefined = undefined,
>(definition: RouteDefinition<P, Q, B>): AdminRoute {
  const { method, path, params } = definition;
  const declared = Object.keys(params?.shape ?? {}).sort();
  if (params && declared.join() !== pathParamNames(path).sort().join()) {
    throw new Error(`${method} ${path}: params schema declares [${declared}], not the path's params`);
  }
  return {
    ...definition,
    params: strict(params),
    query: strict(definition.query),
    body: strict(definition.body),
    permission: definition.permission ?? (method === 'GET' ? 'read' : 'write'),
  };
}

/** Parses one part of the request; issue paths say where (`body.name`, `query.limit`). */
function parse<S extends z.ZodType>(where: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: [where, ...issue.path] })));
}

const NO_QUERY = z.strictObject({});

export type Authorize = (principal: AdminPrincipal, permission: Permission) => boolean;

function handle(route: AdminRoute, authorize: Authorize): RouterMiddleware {
  return async (ctx) => {
    const principal = ctx.state.principal as AdminPrincipal | undefined;
    if (!principal) throw new Error(`${route.method} ${route.path} mounted without authentication`);
    if (!authorize(principal, route.permission)) {
      throw principal.readOnly
        ? new ForbiddenError('This API key is read-only: it may read, and change nothing.', 'read_only_key')
        : new ForbiddenError(`This API key may not ${route.permission}.`);
    }
    // type-is answers null when there is no body at all, which the body schema then reports; an
    // empty body (Content-Length: 0, as fetch sends for a bare POST) is no body either.
    if (route.body && ctx.request.length !== 0 && ctx.is('json', '+json') === false) {
      throw new ProblemError(415, 'unsupported_media_type', 'Send the request body as application/json.');
    }
    const result = await route.handler({
      params: route.params ? parse('path', route.params, ctx.params) : ctx.params,
      query: parse('query', route.query ?? NO_QUERY, ctx.query),
      body: route.body ? parse('body', route.body, ctx.request.body) : undefined,
      principal,
      ctx,
    });
    ctx.status = result.status;
    if (result.body !== undefined) ctx.body = result.body;
    if (result.headers) ctx.set(result.headers);
  };
}

/** JSON only, capped: admin bodies are small documents, never uploads. */
export function jsonBody(limit = DEFAULT_BODY_LIMIT): Middleware {
  return bodyParser({ enableTypes: ['json'], jsonLimit: limit });
}

export interface MountOptions {
  bodyLimit?: string;
  /** Whether the principal holds the route's permission; everyone may do everything by default. */
  authorize?: Authorize;
}

export function mountRoutes(router: Router, routes: readonly AdminRoute[], options: MountOptions = {}): void {
  const body = jsonBody(options.bodyLimit);
  const authorize = options.authorize ?? (() => true);
  for (const route of routes) {
    const stack = route.body ? [body, handle(route, authorize)] : [handle(route, authorize)];
    router.register(route.path, [route.method], stack as RouterMiddleware[], {
      name: `${route.method} ${route.path}`,
    });
  }
}
