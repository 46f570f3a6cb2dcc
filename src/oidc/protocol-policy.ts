import type { Configuration } from 'oidc-provider';
import { OIDC_SCOPES } from '../domain/clients/client-catalog.js';
import { clientMetadataExtensions } from './client-metadata.js';
import { firstPartyGrant } from './first-party-grant.js';
import { resourceIndicatorsFeature } from './resource-servers.js';

/**
 * Gatehouse's protocol choices, apart from storage, keys, pages and accounts: what the provider
 * offers and to whom. Choices follow RFC 9700: code flow with PKCE (required for public
 * clients), refresh token rotation with reuse detection, no resource owner password grant, and
 * implicit/hybrid only for clients whose metadata opts in. The bench's bare-provider baselines
 * take the same object, so they differ from Gatehouse only in what they leave out.
 */
export function protocolPolicy(accessTokenTtl: number) {
  return {
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      organization: ['org_id', 'org_slug'],
      roles: ['roles', 'permissions'],
    },
    // Scope claims go in the ID token as well as userinfo: apps read the organization and roles
    // from the ID token without a second call (OIDC Core §5.4 allows either).
    conformIdTokenClaims: false,
    // Which organization the token should speak for (id or slug); see oidc/organization-prompt.ts.
    extraParams: ['organization'],
    scopes: [...OIDC_SCOPES],
    responseTypes: ['code', 'id_token', 'code id_token', 'none'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    ...clientMetadataExtensions(),
    // RFC 9700 §4.14: a refresh token is single-use; presenting a used one revokes the whole grant.
    rotateRefreshToken: true,
    issueRefreshToken: issueRefreshToken as never,
    ttl: tokenLifetimes(accessTokenTtl),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: firstPartyGrant,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed } as never,
      revocation: { enabled: true, allowedPolicy: revocationAllowed } as never,
      userinfo: { enabled: true },
      resourceIndicators: resourceIndicatorsFeature(accessTokenTtl) as never,
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
  } satisfies Configuration;
}

/** Lifetimes in seconds; access tokens are short because a JWT cannot be recalled. */
function tokenLifetimes(accessTokenTtl: number) {
  return {
    AccessToken: accessTokenTtl,
    AuthorizationCode: 60,
    ClientCredentials: accessTokenTtl,
    IdToken: 3600,
    Interaction: 3600,
    Session: 14 * 24 * 3600,
    Grant: 14 * 24 * 3600,
    RefreshToken: 14 * 24 * 3600,
  };
}

// A public client may only look at its own tokens; confidential clients act as resource servers.
export async function introspectionAllowed(
  _ctx: unknown,
  client: { clientAuthMethod?: string | undefined; clientId: string },
  token: { clientId?: string | undefined },
): Promise<boolean> {
  return client.clientAuthMethod !== 'none' || token.clientId === client.clientId;
}

// RFC 7009 §2.1: a client may only revoke tokens that were issued to it.
async function revocationAllowed(
  _ctx: unknown,
  client: { clientId: string },
  token: { clientId?: string | undefined },
) {
  return token.clientId === client.clientId;
}

/**
 * OIDC Core §11 only honours offline_access with prompt=consent. First-party apps also get a
 * refresh token without it; that token then ends with the user's session (expiresWithSession).
 */
async function issueRefreshToken(
  _ctx: unknown,
  client: { grantTypeAllowed(type: string): boolean; metadata(): Record<string, unknown> },
  code: { scopes: Set<string> },
): Promise<boolean> {
  if (!client.grantTypeAllowed('refresh_token')) return false;
  return code.scopes.has('offline_access') || client.metadata().first_party === true;
}
