import { randomBytes } from 'node:crypto';
import { createEnvelope } from '../../../src/lib/crypto/envelope.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Router from '@koa/router';
import Koa from 'koa';
import { pino } from 'pino';
import { z } from 'zod';
import { createMemoryEphemeralStore } from '../../../src/data/memory/index.js';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../src/domain/errors.js';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../../src/domain/organizations/admin-principal.js';
import type { EphemeralStore } from '../../../src/domain/ports/ephemeral-store.js';
import { adminRouter } from '../../../src/http/admin/admin-router.js';
import { pageOf, pageQuery, paginate } from '../../../src/http/admin/pagination.js';
import { defineRoute } from '../../../src/http/admin/route.js';
import { requestContext } from '../../../src/http/middleware/request-context.js';

/** API keys the fake authenticate knows; `reader` may only read. */
export const KEYS = { admin: 'gh_admin_key', reader: 'gh_reader_key', other: 'gh_other_key' } as const;

const principal = (id: string): AdminPrincipal => ({
  actor: { type: 'api_key', id },
  scope: ENVIRONMENT_SCOPE,
});

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

const Widget = z
  .object({ id: z.string(), name: z.string(), color: z.enum(['red', 'blue']) })
  .meta({ id: 'Widget' });
type Widget = z.infer<typeof Widget>;

/** Holds a create named `slow` in the handler: `entered` fires there, `wait` keeps it. */
export interface Gate {
  entered?: () => void;
  wait?: Promise<void>;
}

/**
 * A toy resource that exercises the framework: names pick the failure the handler produces.
 */
export function widgetRoutes(widgets: Widget[], gate: Gate) {
  let created = 0;
  const byId = z.strictObject({ widget: z.string().min(1) });
  return [
    defineRoute({
      method: 'GET',
      path: '/widgets',
      summary: 'List widgets',
      tags: ['widgets'],
      query: z.strictObject({ ...pageQuery, color: z.enum(['red', 'blue']).optional() }),
      responses: { 200: { description: 'A page of widgets', schema: pageOf(Widget) } },
      handler: async ({ query }) => {
        const page = await paginate(query, async ({ after, limit }) =>
          widgets
            .filter((w) => (after === undefined || w.id > after) && (!query.color || w.color === query.color))
            .sort((a, b) => a.id.localeCompare(b.id))
            .slice(0, limit),
        );
        return { status: 200, body: page };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/widgets',
      summary: 'Create a widget',
      tags: ['widgets'],
      // Not strict on purpose: defineRoute makes it so, and keeps its component name.
      body: z
        .object({ name: z.string().min(1).max(40), color: z.enum(['red', 'blue']).default('red') })
        .meta({ id: 'NewWidget' }),
      responses: { 201: { description: 'Created', schema: Widget }, 409: { description: 'Name taken' } },
      handler: async ({ body }) => {
        if (body.name === 'slow') {
          gate.entered?.();
          await gate.wait;
        }
        if (body.name === 'explode')
          throw new Error('connection to db-primary:5432 refused (password=hunter2)');
        if (body.name === 'unavailable') return { status: 503, body: { retry: true } };
        if (body.name === 'admin')
          throw new RuleViolationError('That name is reserved.', 'reserved_name', 'name');
        if (widgets.some((w) => w.name === body.name)) {
          throw new ConflictError(`A widget named ${body.name} exists.`, 'widget_name_taken');
        }
        const widget = { id: `w${String(++created).padStart(4, '0')}`, ...body };
        widgets.push(widget);
        return { status: 201, body: widget, headers: { Location: `/admin/v1/widgets/${widget.id}` } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/widgets/:widget',
      summary: 'Get a widget',
      tags: ['widgets'],
      params: byId,
      responses: {
        200: { description: 'The widget', schema: Widget },
        404: { description: 'No such widget' },
      },
      handler: async ({ params }) => {
        const widget = widgets.find((w) => w.id === params.widget);
        if (!widget) throw new NotFoundError('Widget');
        return { status: 200, body: widget };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/widgets/:widget',
      summary: 'Delete a widget',
      tags: ['widgets'],
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ params }) => {
        widgets.splice(widgets.findIndex((w) => w.id === params.widget) >>> 0, 1);
        return { status: 204 };
      },
    }),
  ];
}

export interface WidgetsApp {
  url: string;
  widgets: Widget[];
  gate: Gate;
  store: EphemeralStore;
  logs: Capture;
  /** Calls the admin API as `key` (admin by default), JSON-encoding an object body. */
  call(path: string, init?: RequestInit & { key?: string | null; json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Mounted the way src/app.ts mounts it: nested in the app's router, behind request context. */
export async function startWidgetsApp(): Promise<WidgetsApp> {
  const widgets: Widget[] = [];
  const gate: Gate = {};
  const store = createMemoryEphemeralStore();
  const logs = new Capture();
  const known = new Map<string, AdminPrincipal>([
    [KEYS.admin, principal('key-admin')],
    [KEYS.reader, principal('key-reader')],
    [KEYS.other, principal('key-other')],
  ]);
  const admin = adminRouter({
    routes: widgetRoutes(widgets, gate),
    authenticate: async (key) => known.get(key),
    authorize: (p, permission) => permission === 'read' || p.actor.id !== 'key-reader',
    store,
    envelope: createEnvelope(randomBytes(32)),
  });
  const root = new Router();
  root.use(admin.routes());
  const app = new Koa();
  app.use(requestContext(pino({ level: 'info' }, logs)));
  app.use(root.routes()).use(root.allowedMethods());
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    widgets,
    gate,
    store,
    logs,
    call(path, { key = KEYS.admin, json, headers, ...init } = {}) {
      const all = new Headers(headers);
      if (key !== null) all.set('Authorization', `Bearer ${key}`);
      if (json !== undefined) all.set('Content-Type', 'application/json');
      const body = json === undefined ? init.body : JSON.stringify(json);
      return fetch(`${url}/admin/v1${path}`, { ...init, headers: all, body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
