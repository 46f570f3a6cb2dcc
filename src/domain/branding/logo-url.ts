/**
 * Where a logo may come from: an https URL (the customer's own host; the CSP's img-src allows
 * https:) or a path on this server. Never `javascript:`, `data:` or plain http, and never a path
 * a browser would read as another host: `//host/x` is scheme-relative, and browsers turn `\` into
 * `/` in http(s) URLs (WHATWG URL §4.4, special schemes), so `/\host/x` is one too.
 */
export function isAllowedLogoUrl(value: string): boolean {
  if (/[\s\\]/.test(value) || value.length > 2048) return false;
  if (value.startsWith('/')) return !value.startsWith('//');
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' && url.username === '' && url.password === '';
}
