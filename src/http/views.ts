import { Eta } from 'eta';
import type { RenderPage } from '../lib/render-page.js';

/** Server-rendered pages from views/*.eta; Eta escapes every `<%= %>` output. */
export function createPageRenderer(viewsDir: string): RenderPage {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true });
  return (view, data) => eta.render(`./${view}`, data);
}

/**
 * Answers the request with a rendered page; sign-in pages are never cached. The organization's
 * branding the request carries (`state.brand`, http/middleware/page-brand.ts) goes to the layout.
 */
export function sendPage(
  ctx: {
    status: number;
    type: string;
    body: unknown;
    set(name: string, value: string): void;
    state?: { brand?: unknown };
  },
  render: RenderPage,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  const brand = ctx.state?.brand;
  ctx.body = render(view, brand && !('brand' in data) ? { ...data, brand } : data);
}
