import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { CustomDomainLookup } from '../../domain/branding/custom-domain-lookup.js';

/**
 * The host each request asked for, as the browser (or, with TRUST_PROXY, the proxy in front)
 * named it. The provider host pins X-Forwarded-Host to the issuer before Koa sees the request
 * (oidc/provider-host.ts: endpoint URLs must never follow a client-supplied Host), so the name is
 * taken here, first; it is only ever compared with verified custom domains, never put in a URL.
 */
export function createRequestedHosts(trustProxy: boolean) {
  const hosts = new WeakMap<IncomingMessage, string>();
  return {
    capture(req: IncomingMessage): void {
      const forwarded = trustProxy ? req.headers['x-forwarded-host'] : undefined;
      const host = (Array.isArray(forwarded) ? forwarded[0] : forwarded) ?? req.headers.host;
      if (host) hosts.set(req, host);
    },
    of: (req: IncomingMessage): string | undefined => hosts.get(req),
  };
}
export type RequestedHosts = ReturnType<typeof createRequestedHosts>;

/** What a request through a verified custom domain carries in `ctx.state.customDomain`. */
export interface CustomDomainState {
  id: string;
  host: string;
  organizationId: string;
}

/** The custom domain's entry (custom-domain-entry.ts): the only requests a custom host changes. */
const ENTRY_PATHS = new Set(['/', '/auth']);

/**
 * Marks requests to a custom domain's entry that came through a verified custom domain
 * (CUSTOM_DOMAINS on). Requests to the issuer's host, to any host without a verified row, and to
 * every other path pass unmarked and are served as usual; only entry requests cost a lookup.
 */
export function customDomainContext(lookup: CustomDomainLookup, hosts: RequestedHosts): Middleware {
  return async (ctx, next) => {
    const entry = (ctx.method === 'GET' || ctx.method === 'HEAD') && ENTRY_PATHS.has(ctx.path);
    const domain = entry ? await lookup(hosts.of(ctx.req)) : undefined;
    if (domain) {
      const state: CustomDomainState = {
        id: domain.id,
        host: domain.host,
        organizationId: domain.organizationId,
      };
      ctx.state.customDomain = state;
    }
    await next();
  };
}
