import type { Configuration } from 'oidc-provider';
import { clientExtra } from './client-metadata.js';
import { SUPPORTED_ACR_VALUES } from '../domain/mfa/sign-in-requirement.js';
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
      // `idp`: the organization's connection the user signed in through (federated sign-ins only);
      // `amr` (RFC 8176) and `acr`: how the user signed in (urn:gatehouse:mfa after a second
      // factor); oidc-provider only releases claims listed here.
      openid: ['sub', 'idp', 'amr', 'acr'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      // home_org_id, home_org_slug, federation: a partner's home organization (domain/federations).
      organization: ['org_id', 'org_slug', 'home_org_id', 'home_org_slug', 'federation'],
      roles: ['roles', 'permissions'],
    },
    // Scope claims go in the ID token as well as userinfo: apps read the organization and roles
    // from the ID token without a second call (OIDC Core §5.4 allows either).
    conformIdTokenClaims: false,
    // Which organization the token should speak for (id or slug), see oidc/organization-prompt.ts;
    // `connection` and `domain_hint` steer home realm discovery (domain/realm-discovery).
    extraParams: ['organization', 'connection', 'domain_hint'],
    scopes: [...OIDC_SCOPES],
    responseTypes: ['code', 'id_token', 'code id_token', 'none'],
    clientAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
      // auth_time in every ID token (OIDC Core §2), not only when max_age was asked: an
      // application judging a session's age after a step-up needs it.
      require_auth_time: true,
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
      // OIDC Back-Channel Logout 1.0: applications that register a URI hear of ended access
      // (a leaver removed by the directory, a session ended) without the browser.
      backchannelLogout: { enabled: true },
      resourceIndicators: resourceIndicatorsFeature(accessTokenTtl) as never,
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
    // Advertised in discovery; the ID token's `acr` says a second factor was shown (http/mfa).
    acrValues: SUPPORTED_ACR_VALUES,
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
    // The default session policy's absolute lifetime; Gatehouse's provider replaces it with the
    // session's own (oidc/session-terms.ts).
    Session: 8 * 3600,
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
  client: { grantTypeAllowed(type: string): boolean },
  code: { scopes: Set<string> },
): Promise<boolean> {
  if (!client.grantTypeAllowed('refresh_token')) return false;
  return code.scopes.has('offline_access') || clientExtra(client, 'first_party') === true;
}
