import { parse as parseQuery } from 'node:querystring';
import { decodeJwt } from 'jose';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
export type TokenContext = Parameters<Middleware>[0];
export type TokenParams = Record<string, string | string[] | undefined>;

/** oidc-provider's own limit for a token request body (lib/shared/selective_body.js). */
const MAX_BODY_BYTES = 56 * 1024;

/**
 * The form of a token request, read once for the checks that run before the token endpoint
 * (network-policy.ts, organization-token-rate-limit.ts). It is left on ctx.request.body, where
 * oidc-provider takes a body parsed upstream (selective_body.js) and the next check finds it.
 * `too_large`: past oidc-provider's own limit; undefined: not a form.
 */
export async function tokenRequestForm(ctx: TokenContext): Promise<TokenParams | 'too_large' | undefined> {
  const parsed = (ctx.request as { body?: unknown }).body;
  if (parsed && typeof parsed === 'object') return parsed as TokenParams;
  if (!ctx.is('application/x-www-form-urlencoded') || !ctx.req.readable) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too_large';
    chunks.push(chunk);
  }
  const params = parseQuery(Buffer.concat(chunks).toString('utf8')) as TokenParams;
  (ctx.request as { body?: unknown }).body = params;
  return params;
}

/** A parameter given once (a repeated one is oidc-provider's to refuse). */
export const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

/**
 * The client of a token request: HTTP Basic (RFC 6749 §2.3.1, form-encoded id), the form's
 * `client_id`, or a client assertion's issuer (RFC 7523). Read only to pick a rule: the token
 * endpoint still authenticates the client itself.
 */
export function tokenRequestClientId(ctx: TokenContext, params: TokenParams | undefined): string | undefined {
  const basic = /^Basic (.+)$/i.exec(ctx.get('authorization'))?.[1];
  if (basic) {
    const id = Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '';
    try {
      return decodeURIComponent(id.replace(/\+/g, ' '));
    } catch {
      return undefined;
    }
  }
  const explicit = one(params?.client_id);
  if (explicit) return explicit;
  const assertion = one(params?.client_assertion);
  try {
    return assertion ? decodeJwt(assertion).iss : undefined;
  } catch {
    return undefined;
  }
}

type FoundClient = Awaited<ReturnType<OidcProvider['Client']['find']>>;
const clients = new WeakMap<TokenContext, Promise<FoundClient>>();

/**
 * The client a token request names (tokenRequestClientId), found once for all the checks before
 * the token endpoint: each lookup hashes the client's whole registration (oidc-provider's cache key).
 */
export function tokenRequestClient(
  provider: OidcProvider,
  ctx: TokenContext,
  params: TokenParams | undefined,
): Promise<FoundClient> {
  let found = clients.get(ctx);
  if (!found) {
    const clientId = tokenRequestClientId(ctx, params);
    found = clientId ? provider.Client.find(clientId) : Promise.resolve(undefined);
    clients.set(ctx, found);
  }
  return found;
}
