import { clientExtra } from './client-metadata.js';
import type { NetworkPolicyCheck } from '../domain/risk/network-policy.js';
import type { OidcProvider } from './provider-factory.js';
import {
  one,
  tokenRequestClient,
  tokenRequestForm,
  type TokenContext as Context,
  type TokenParams as Params,
} from './token-request.js';

type Middleware = Parameters<OidcProvider['use']>[0];

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';

export interface TokenNetworkPolicyDeps {
  /** The organization's ip_allowlist and allowed_countries for one address (domain/risk/network-policy.ts). */
  check: NetworkPolicyCheck;
  /** The organization a grant speaks for (organization-access.ts `forGrant`), read once per request. */
  grantOrganization(ctx: Context, grantId: string): Promise<string | undefined>;
  /** A code's or refresh token's stored payload, kept for the token endpoint's own read (adapter.ts `readAhead`). */
  readToken(
    ctx: Context,
    model: 'AuthorizationCode' | 'RefreshToken',
    value: string,
  ): Promise<{ grantId?: unknown } | undefined>;
  /**
   * An organization by id or slug, as token exchange's `organization` parameter names it; with
   * the user the subject token names, read as the exchange will read the user's access there.
   */
  organizationIdOf(ref: string, userId: string | undefined): Promise<string | undefined>;
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
  const code = grantType === 'authorization_code' ? one(params.code) : undefined;
  const refreshToken = grantType === 'refresh_token' ? one(params.refresh_token) : undefined;
  const source = code
    ? await deps.readToken(ctx, 'AuthorizationCode', code)
    : refreshToken
      ? await deps.readToken(ctx, 'RefreshToken', refreshToken)
      : undefined;
  if (typeof source?.grantId === 'string') return deps.grantOrganization(ctx, source.grantId);
  if (grantType === 'client_credentials') {
    const owner = clientExtra(await tokenRequestClient(provider, ctx, params), 'organization_id');
    return typeof owner === 'string' ? owner : undefined;
  }
  if (grantType !== TOKEN_EXCHANGE) return undefined;
  const subject = claimsOf(one(params.subject_token));
  const requested = one(params.organization);
  if (requested)
    return deps.organizationIdOf(requested, typeof subject.sub === 'string' ? subject.sub : undefined);
  return typeof subject.org_id === 'string' ? subject.org_id : undefined;
}

/**
 * A subject token's claims, unverified (the exchange verifies it); none for a handle. Node's own
 * base64url decoding: jose's decodeJwt took a fortieth of an exchange's time, for the same answer.
 */
function claimsOf(token: string | undefined): Record<string, unknown> {
  const payload = token?.split('.')[1];
  if (!payload) return {};
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : {};
  } catch {
    return {};
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
    const params = await tokenRequestForm(ctx);
    if (params === 'too_large') return refuse(ctx, 'invalid_request', 'the request body is too large');
    const organizationId = params ? await organizationOf(provider, deps, ctx, params) : undefined;
    const refusal = organizationId ? await deps.check(organizationId, ctx.ip) : undefined;
    if (!refusal) return next();
    refuse(ctx, 'invalid_grant', refusal.description);
  };
}
