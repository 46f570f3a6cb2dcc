import { Eta } from 'eta';
import type { RenderPage } from '../lib/render-page.js';

/** Server-rendered pages from views/*.eta; Eta escapes every `<%= %>` output. */
export function createPageRenderer(viewsDir: string): RenderPage {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true });
  return (view, data) => eta.render(`./${view}`, data);
}

/** Answers the request with a rendered page; sign-in pages are never cached. */
export function sendPage(
  ctx: { status: number; type: string; body: unknown; set(name: string, value: string): void },
  render: RenderPage,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = render(view, data);
}
