import { createHash } from 'node:crypto';
import type { BrandPalette } from './effective-branding.js';

/**
 * An organization's colours as CSS custom properties that views/assets/gatehouse.css reads. The
 * CSP allows stylesheets from 'self' only (no inline style attributes), so the colours come as a
 * small stylesheet of their own. Every value is a normalized #rrggbb colour (effective-branding),
 * so nothing else can reach the CSS.
 */
export function brandStylesheet(palette: BrandPalette): string {
  const lines = [
    ':root {',
    `  --accent: ${palette.accent};`,
    `  --on-accent: ${palette.onAccent};`,
    `  --accent-text: ${palette.accentText};`,
    `  --focus-ring: ${palette.focusRing};`,
    ...(palette.background ? [`  --page-background: ${palette.background};`] : []),
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/** A short fingerprint of the stylesheet: its URL changes when the colours do, so it can be cached. */
export const stylesheetVersion = (css: string) =>
  createHash('sha256').update(css).digest('base64url').slice(0, 12);
