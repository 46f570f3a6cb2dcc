import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const TYPES: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
};

/** The few static files the pages use, read once and served with long caching. */
export function assetRoutes(viewsDir: string): Router {
  const router = new Router();
  const cache = new Map<string, Buffer>();
  router.get('/assets/:file', async (ctx) => {
    const file = ctx.params.file ?? '';
    const type = TYPES[file.split('.').pop() ?? ''];
    if (!/^[a-z0-9-]+\.[a-z]+$/.test(file) || !type) return;
    let body = cache.get(file);
    if (!body) {
      body = await readFile(join(viewsDir, 'assets', file)).catch(() => undefined);
      if (!body) return;
      cache.set(file, body);
    }
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = body;
  });
  return router;
}
