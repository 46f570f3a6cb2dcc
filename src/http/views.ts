import { Eta } from 'eta';
import type { RenderPage } from '../lib/render-page.js';

/** Server-rendered pages from views/*.eta; Eta escapes every `<%= %>` output. */
export function createPageRenderer(viewsDir: string): RenderPage {
  const eta = new Eta({ views: viewsDir, autoEscape: true, cache: true });
  return (view, data) => eta.render(`./${view}`, data);
}
