import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { DirectoryGroups } from '../../domain/directories/directory-groups.js';
import type { DirectoryUsers } from '../../domain/directories/directory-users.js';
import { scimGroup, scimUser } from '../../domain/directories/scim-representation.js';
import type { DirectoryRecord } from '../../domain/ports/directories.js';
import type { Metrics } from '../../domain/ports/metrics.js';
import {
  BULK_MAX_PAYLOAD_BYTES,
  GROUP_RESOURCE,
  ifNoneMatchSatisfied,
  listResponse,
  parseBulkRequest,
  projectResource,
  resourceTypeById,
  resourceTypes,
  schemaById,
  schemas,
  scimErrors,
  serviceProviderConfig,
  USER_RESOURCE,
  type JsonObject,
  type ProjectionOptions,
} from '../../domain/scim/model/index.js';
import { scimMetrics } from '../metrics/scim-metrics.js';
import { directoryOf, scimAuthentication } from './scim-auth.js';
import { runBulk } from './scim-bulk.js';
import { scimEndpoints, userBatchImport, type ScimEndpoint } from './scim-endpoints.js';
import { scimErrorBoundary, sendScim } from './scim-failure.js';
import { SCIM_PREFIX } from './scim-prefix.js';
import { scimPlanGate, type ScimPlanDeps } from './scim-plan-gate.js';
import {
  excludesMembers,
  listRequestFromQuery,
  listRequestFromSearch,
  type ListRequest,
} from './scim-list-query.js';

export interface ScimRouterDeps {
  issuer: string;
  findDirectoryByTokenHash(hash: string): Promise<DirectoryRecord | undefined>;
  users: DirectoryUsers;
  groups: DirectoryGroups;
  metrics: Pick<Metrics, 'scim'>;
  /** The organization's plan: SCIM in it, and its API rate limit (scim-plan-gate.ts). */
  plan?: ScimPlanDeps;
}

/**
 * The SCIM 2.0 service provider (RFC 7644) of every directory, at /scim/v2/<directory id>/.
 * Each directory's bearer token opens its own base URL only.
 */
export function scimRouter(deps: ScimRouterDeps): Router {
  const router = new Router({ prefix: `${SCIM_PREFIX}/:directory` });
  const baseUrl = (directory: DirectoryRecord) => `${deps.issuer}${SCIM_PREFIX}/${directory.id}`;
  const endpoints = scimEndpoints(deps.users, deps.groups, baseUrl);
  // RFC 7644 §3.1: clients send application/scim+json; many send application/json.
  const json = bodyParser({
    enableTypes: ['json'],
    extendTypes: { json: ['application/scim+json'] },
    jsonLimit: BULK_MAX_PAYLOAD_BYTES,
    encoding: 'utf-8',
  });
  const body = (ctx: Context): unknown => ctx.request.body;
  const ifMatch = (ctx: Context) => ctx.get('if-match') || undefined;
  const id = (ctx: Context) => String(ctx.params.id);

  router.use(scimMetrics(deps.metrics), scimErrorBoundary, scimAuthentication(deps.findDirectoryByTokenHash));
  if (deps.plan) router.use(...scimPlanGate(deps.plan));

  /** One resource as read: projected, with its ETag; 304 when the client holds this version. */
  const sendOne = (
    ctx: Context,
    status: number,
    resource: JsonObject,
    projection: ProjectionOptions,
    kind: 'Users' | 'Groups',
  ) => {
    const version = (resource.meta as { version: string }).version;
    ctx.set('ETag', version);
    if (status === 201) ctx.set('Location', (resource.meta as { location: string }).location);
    if (ctx.method === 'GET' && !ifNoneMatchSatisfied(ctx.get('if-none-match') || undefined, version)) {
      ctx.status = 304;
      return;
    }
    sendScim(
      ctx,
      status,
      projectResource(resource, projection, kind === 'Users' ? USER_RESOURCE : GROUP_RESOURCE),
    );
  };
  const projectionOf = (ctx: Context): ProjectionOptions => {
    const { attributes, excludedAttributes } = listRequestFromQuery({
      ...(typeof ctx.query.attributes === 'string' ? { attributes: ctx.query.attributes } : {}),
      ...(typeof ctx.query.excludedAttributes === 'string'
        ? { excludedAttributes: ctx.query.excludedAttributes }
        : {}),
    }).projection;
    return { ...(attributes ? { attributes } : {}), ...(excludedAttributes ? { excludedAttributes } : {}) };
  };

  const listUsers = async (ctx: Context, request: ListRequest) => {
    const directory = directoryOf(ctx);
    const page = await deps.users.list(directory, request.query);
    const resources = page.items.map((view) =>
      projectResource(
        scimUser(view.record, view.groups, baseUrl(directory)),
        request.projection,
        USER_RESOURCE,
      ),
    );
    sendScim(
      ctx,
      200,
      listResponse(resources, { totalResults: page.totalResults, startIndex: request.query.startIndex }),
    );
  };
  const listGroups = async (ctx: Context, request: ListRequest) => {
    const directory = directoryOf(ctx);
    const page = await deps.groups.list(directory, request.query, {
      members: !excludesMembers(request.projection),
    });
    const resources = page.items.map((view) =>
      projectResource(
        scimGroup(view.record, view.members, baseUrl(directory)),
        request.projection,
        GROUP_RESOURCE,
      ),
    );
    sendScim(
      ctx,
      200,
      listResponse(resources, { totalResults: page.totalResults, startIndex: request.query.startIndex }),
    );
  };

  router.get('/ServiceProviderConfig', (ctx) =>
    sendScim(ctx, 200, serviceProviderConfig(baseUrl(directoryOf(ctx)))),
  );
  router.get('/ResourceTypes', (ctx) => sendScim(ctx, 200, resourceTypes(baseUrl(directoryOf(ctx)))));
  router.get('/ResourceTypes/:id', (ctx) =>
    sendScim(ctx, 200, resourceTypeById(baseUrl(directoryOf(ctx)), id(ctx))),
  );
  router.get('/Schemas', (ctx) => sendScim(ctx, 200, schemas(baseUrl(directoryOf(ctx)))));
  router.get('/Schemas/:id', (ctx) => sendScim(ctx, 200, schemaById(baseUrl(directoryOf(ctx)), id(ctx))));

  router.get('/Users', (ctx) => listUsers(ctx, listRequestFromQuery(ctx.query)));
  router.post('/Users/.search', json, (ctx) => listUsers(ctx, listRequestFromSearch(body(ctx))));
  router.get('/Groups', (ctx) => listGroups(ctx, listRequestFromQuery(ctx.query)));
  router.post('/Groups/.search', json, (ctx) => listGroups(ctx, listRequestFromSearch(body(ctx))));

  router.get('/Users/:id', async (ctx) => {
    const directory = directoryOf(ctx);
    const view = await deps.users.get(directory, id(ctx));
    sendOne(ctx, 200, scimUser(view.record, view.groups, baseUrl(directory)), projectionOf(ctx), 'Users');
  });
  router.get('/Groups/:id', async (ctx) => {
    const directory = directoryOf(ctx);
    const view = await deps.groups.get(directory, id(ctx));
    sendOne(ctx, 200, scimGroup(view.record, view.members, baseUrl(directory)), projectionOf(ctx), 'Groups');
  });

  for (const kind of ['Users', 'Groups'] as const) {
    const endpoint: ScimEndpoint = endpoints[kind];
    router.post(`/${kind}`, json, async (ctx) => {
      const written = await endpoint.create(directoryOf(ctx), body(ctx));
      sendOne(ctx, 201, written.resource, projectionOf(ctx), kind);
    });
    router.put(`/${kind}/:id`, json, async (ctx) => {
      const written = await endpoint.replace(directoryOf(ctx), id(ctx), body(ctx), ifMatch(ctx));
      sendOne(ctx, 200, written.resource, projectionOf(ctx), kind);
    });
    router.patch(`/${kind}/:id`, json, async (ctx) => {
      const written = await endpoint.patch(directoryOf(ctx), id(ctx), body(ctx), ifMatch(ctx));
      sendOne(ctx, 200, written.resource, projectionOf(ctx), kind);
    });
    router.delete(`/${kind}/:id`, async (ctx) => {
      await endpoint.remove(directoryOf(ctx), id(ctx), ifMatch(ctx));
      ctx.status = 204;
    });
  }

  router.post('/Bulk', json, async (ctx) => {
    const directory = directoryOf(ctx);
    const request = parseBulkRequest(body(ctx), Number(ctx.get('content-length') || 0));
    const targets = { endpoints, importUsers: userBatchImport(deps.users, baseUrl) };
    sendScim(ctx, 200, await runBulk(directory, request, targets, baseUrl(directory)));
  });

  // Anything else under a directory's base URL: a SCIM 404, not an HTML page.
  router.all('/{*rest}', () => {
    throw scimErrors.notFound('No such SCIM endpoint: see /ServiceProviderConfig and /ResourceTypes.');
  });
  return router;
}
