import Router from '@koa/router';
import type { RenderPage } from '../../lib/render-page.js';
import type { OutboxMessage } from '../../mail/dev-outbox.js';
import { sendPage } from '../views.js';

/**
 * GET /dev/outbox: the emails the dev outbox kept, newest first, so someone trying Gatehouse
 * without an SMTP relay can read their sign-in code. app.ts mounts it outside production only.
 */
export function devOutboxRoutes(outbox: readonly OutboxMessage[], render: RenderPage): Router {
  const router = new Router({ prefix: '/dev' });
  router.get('/outbox', (ctx) => sendPage(ctx, render, 'dev-outbox', { messages: [...outbox].reverse() }));
  return router;
}
