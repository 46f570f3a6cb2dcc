import { parse as parseQuery } from 'node:querystring';
import { decodeJwt } from 'jose';
import type { NetworkPolicyCheck } from '../domain/risk/network-policy.js';
import type { OidcProvider } from './provider-factory.js';

type Middleware = Parameters<OidcProvider['use']>[0];
type Context = Parameters<Middleware>[0];
type Params = Record<string, string | string[] | undefined>;

/** oidc-provider's own limit for a token request body (lib/shared/selective_body.js). */
const MAX_BODY_BYTES = 56 * 1024;
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface TokenNetworkPolicyDeps {
  /** The organization's ip_allowlist and allowed_countries for one address (domain/risk/network-policy.ts). */
  check: NetworkPolicyCheck;
  /** The organization a grant speaks for (organization-access.ts `forGrant`). */
  grantOrganization(grantId: string): Promise<string | undefined>;
  /** An organization by id or slug, as token exchange's `organization` parameter names it. */
  organizationIdOf(ref: string): Promise<string | undefined>;
}

const one = (value: string | string[] | undefined) => (typeof value === 'string' ? value : undefined);

async function readForm(ctx: Context): Promise<Params | 'too_large' | undefined> {
  if (!ctx.is('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'too_large';
    chunks.push(chunk);
  }
  const params = parseQuery(Buffer.concat(chunks).toString('utf8')) as Params;
  // oidc-provider reads a body an earlier middleware parsed from here (selective_body.js).
  (ctx.request as { body?: unknown }).body = params;
  return params;
}

/** The client of a token request: the form's client_id, HTTP Basic (RFC 6749 §2.3.1) or an assertion's issuer. */
function clientIdOf(ctx: Context, params: Params): string | undefined {
  const explicit = one(params.client_id);
  if (explicit) return explicit;
  const basic = /^Basic (.+)$/i.exec(ctx.get('authorization'))?.[1];
  if (basic) return decodeURIComponent(Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '');
  const assertion = one(params.client_assertion);
  try {
    return assertion ? decodeJwt(assertion).iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The organization whose tokens the request would issue, found the way each grant finds it: the
 * grant behind a code or refresh token, the client's owner for client credentials, the requested
 * (or the subject token's) organization for an exchange. Read only to pick the rule: the grant
 * handlers still verify everything themselves.
 */
async function organizationOf(
  provider: OidcProvider,
  deps: TokenNetworkPolicyDeps,
  ctx: Context,
  params: Params,
): Promise<string | undefined> {
  const grantType = one(params.grant_type);
  const source =
    grantType === 'authorization_code' && one(params.code)
      ? await provider.AuthorizationCode.find(one(params.code)!)
      : grantType === 'refresh_token' && one(params.refresh_token)
        ? await provider.RefreshToken.find(one(params.refresh_token)!)
        : undefined;
  if (source?.grantId) return deps.grantOrganization(source.grantId);
  if (grantType === 'client_credentials') {
    const clientId = clientIdOf(ctx, params);
    const owner = clientId ? (await provider.Client.find(clientId))?.metadata().organization_id : undefined;
    return typeof owner === 'string' ? owner : undefined;
  }
  if (grantType !== TOKEN_EXCHANGE) return undefined;
  const requested = one(params.organization);
  if (requested) return deps.organizationIdOf(requested);
  try {
    const claimed = decodeJwt(one(params.subject_token) ?? '').org_id;
    return typeof claimed === 'string' ? claimed : undefined;
  } catch {
    return undefined;
  }
}

function refuse(ctx: Context, error: string, description: string): void {
  ctx.status = 400;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error, error_description: description };
}

/**
 * An organization's network rules (ip_allowlist, allowed_countries) at every token issue, before
 * the token endpoint runs: a refused request consumes no code and rotates no refresh token, so
 * the same token still works from an allowed network. RFC 6749 §5.2 `invalid_grant`: the grant
 * (code, refresh token, client credentials, subject token) may not be used from here. The
 * description names the policy, never the address.
 */
export function tokenNetworkPolicy(provider: OidcProvider, deps: TokenNetworkPolicyDeps): Middleware {
  const tokenPath = provider.pathFor('token');
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== tokenPath) return next();
    const params = await readForm(ctx);
    if (params === 'too_large') return refuse(ctx, 'invalid_request', 'the request body is too large');
    const organizationId = params ? await organizationOf(provider, deps, ctx, params) : undefined;
    const refusal = organizationId ? await deps.check(organizationId, ctx.ip) : undefined;
    if (!refusal) return next();
    refuse(ctx, 'invalid_grant', refusal.description);
  };
}
