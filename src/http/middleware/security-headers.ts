import type { Middleware } from 'koa';

/**
 * OWASP secure headers. Our only script is views/assets/webauthn.js (WebAuthn has no HTML-only
 * form): same-origin files only, never inline, and it may fetch only from us. oidc-provider sets
 * its own CSP (with a hash) on the one page of its own that needs one (form_post). form-action
 * is left out on purpose: browsers apply it to the redirect that follows a login form, which must
 * reach the relying party's origin.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  // https: for organization logos (branding.logo_url) hosted by the customer.
  "img-src 'self' data: https:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function securityHeaders(httpsOnly: boolean): Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cross-Origin-Resource-Policy', 'same-site');
    if (httpsOnly) ctx.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    await next();
  };
}
