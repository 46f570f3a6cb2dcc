import type { FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import { clientExtra } from './client-metadata.js';
import type {
  GrantAccess,
  OrganizationAccess,
  TenantAccess,
} from '../domain/organizations/organization-access.js';
import type { ActorClaim } from '../domain/tokens/actor-claim.js';
import { partnerClaims, partnerRefreshRefused } from './partner-claims.js';
import { refuseEnded, supportClaims, type SupportLookup, type SupportToken } from './support-claims.js';

type Access = GrantAccess | undefined;

/**
 * The organization a grant speaks for, read once per request: a token response asks for it from
 * findAccount (ID token claims) and from extraTokenClaims (access token) in the same request.
 */
export function createGrantAccessReader(tenancy: OrganizationAccess) {
  const perRequest = new WeakMap<object, Map<string, Promise<Access>>>();
  return (ctx: object | undefined, grantId: string): Promise<Access> => {
    if (!ctx) return tenancy.forGrant(grantId);
    let reads = perRequest.get(ctx);
    if (!reads) perRequest.set(ctx, (reads = new Map()));
    let read = reads.get(grantId);
    if (!read) reads.set(grantId, (read = tenancy.forGrant(grantId)));
    return read;
  };
}
export type GrantAccessReader = ReturnType<typeof createGrantAccessReader>;

const readers = new WeakMap<OrganizationAccess, GrantAccessReader>();

/**
 * The one reader of a tenancy, so the checks before the token endpoint (network-policy.ts) and
 * the provider's own hooks share a request's read.
 */
export function grantAccessReader(tenancy: OrganizationAccess): GrantAccessReader {
  let reader = readers.get(tenancy);
  if (!reader) readers.set(tenancy, (reader = createGrantAccessReader(tenancy)));
  return reader;
}

/**
 * Claims naming exactly one organization, and the connection the user signed in through
 * (`idp`, for federated sign-ins); the `claims` config releases them per scope.
 */
export function organizationClaims(access: TenantAccess & { connectionId?: string | null }) {
  return {
    org_id: access.organizationId,
    org_slug: access.slug,
    roles: access.roles,
    permissions: access.permissions,
    ...(access.connectionId ? { idp: access.connectionId } : {}),
    ...(access.partner ? partnerClaims(access.partner) : {}),
  };
}

/**
 * The `amr` and `acr` of the sign-in behind a token: access tokens carry them like the ID token
 * does, so an API can ask for MFA without reading the ID token. The code or refresh token being redeemed
 * holds it; other grants (client credentials, exchange) have no sign-in behind them.
 */
function signInMethods(ctx: KoaContextWithOIDC): { amr: string[]; acr?: string } | undefined {
  const source = signInOf(ctx);
  if (!source?.amr?.length) return undefined;
  return { amr: source.amr, ...(source.acr ? { acr: source.acr } : {}) };
}

type SignIn = SupportToken & { acr?: string };
const signInOf = (ctx: KoaContextWithOIDC): SignIn | undefined => {
  const entities = ctx.oidc.entities as { AuthorizationCode?: SignIn; RefreshToken?: SignIn };
  return entities.AuthorizationCode ?? entities.RefreshToken;
};

/**
 * Wraps account lookup with the tenant rule: a token made under a grant for an organization is
 * only honoured while the user may act there. A removed or suspended membership, or a suspended
 * organization, makes the account "not found" for that token, so the next refresh, code
 * exchange or userinfo call fails (invalid_grant / invalid_token). A token of a support session
 * states only what the impersonation allows, and nothing once it is over (support-claims.ts).
 */
export function withOrganizationClaims(
  findAccount: FindAccount,
  readAccess: GrantAccessReader,
  support: SupportLookup,
): FindAccount {
  return async (ctx, sub, token) => {
    const grantId = (token as { grantId?: string } | undefined)?.grantId;
    const [account, access, bounds] = await Promise.all([
      findAccount(ctx, sub, token),
      grantId ? readAccess(ctx, grantId) : undefined,
      support(token as SupportToken | undefined),
    ]);
    if (bounds === 'ended') return undefined;
    if (!account || !access) return account;
    if (access.denied || access.userId !== sub) return undefined;
    if (partnerRefreshRefused(ctx, access)) return undefined;
    const tenant = bounds ? supportClaims(bounds, access) : organizationClaims(access);
    return {
      ...account,
      async claims(use, scope, claims, rejected) {
        return { ...(await account.claims(use, scope, claims, rejected)), ...tenant };
      },
    };
  };
}

/**
 * What a token exchange decided for a token it mints (no grant behind it): the organization and
 * the standing it states, the RFC 8693 `act` and, for support access, the impersonation. Left
 * here keyed by the token instance, for extraTokenClaims to read.
 */
export interface IssuedClaims {
  access?: TenantAccess | undefined;
  act?: ActorClaim | undefined;
  /** Support access (domain/impersonation): its id, and whether it is read-only. */
  impersonation?: { id: string; read_only: boolean } | undefined;
}
export type IssuedTokenAccess = WeakMap<object, IssuedClaims>;

function issuedClaims(decided: IssuedClaims) {
  return {
    ...(decided.access ? organizationClaims(decided.access) : {}),
    ...(decided.act ? { act: decided.act } : {}),
    ...(decided.impersonation ? { impersonation: decided.impersonation } : {}),
  };
}

/**
 * RFC 9068 access tokens (and opaque ones, whose introspection shows the same) carry the tenant
 * the token was issued for, so an API can authorize without another call. Client credentials
 * tokens of a client owned by an organization name that organization.
 */
export function organizationTokenClaims(
  readAccess: GrantAccessReader,
  issued: IssuedTokenAccess,
  support: SupportLookup,
) {
  return async (ctx: KoaContextWithOIDC, token: { grantId?: string; kind?: string }) => {
    const decided = issued.get(token);
    if (decided) return issuedClaims(decided);
    if (token.grantId) {
      const [access, bounds] = await Promise.all([readAccess(ctx, token.grantId), support(signInOf(ctx))]);
      if (bounds === 'ended') refuseEnded();
      const standing = access && !access.denied ? access : undefined;
      const tenant = standing && (bounds ? supportClaims(bounds, standing) : organizationClaims(standing));
      const methods = signInMethods(ctx);
      return tenant || methods ? { ...tenant, ...methods } : undefined;
    }
    const owner = clientExtra(ctx.oidc.client, 'organization_id');
    return token.kind === 'ClientCredentials' && typeof owner === 'string' ? { org_id: owner } : undefined;
  };
}

export type IntrospectionPolicy = (
  ctx: KoaContextWithOIDC,
  client: { clientId: string; clientAuthMethod?: string | undefined },
  token: { clientId?: string | undefined; grantId?: string; extra?: Record<string, unknown> | undefined },
) => Promise<boolean>;

/** Whether a support impersonation's tokens are still good (domain/impersonation). */
export type ImpersonationLiveness = (impersonationId: string) => Promise<boolean>;

/**
 * Introspection answers `active: false` for a token whose organization is suspended or whose
 * membership ended, for a support impersonation's token once the impersonation is revoked or over,
 * and for any token introspected by a resource server that belongs to another organization:
 * tenant A's token is never active at tenant B's API.
 */
export function organizationIntrospectionPolicy(
  readAccess: GrantAccessReader,
  base: IntrospectionPolicy,
  isLive: ImpersonationLiveness,
): IntrospectionPolicy {
  return async (ctx, client, token) => {
    if (!(await base(ctx, client, token))) return false;
    const access = token.grantId ? await readAccess(ctx, token.grantId) : undefined;
    if (access?.denied) return false;
    const impersonation = token.extra?.impersonation as { id?: unknown } | undefined;
    if (
      impersonation !== undefined &&
      !(typeof impersonation.id === 'string' && (await isLive(impersonation.id)))
    ) {
      return false;
    }
    const owner = clientExtra(client, 'organization_id');
    if (typeof owner !== 'string') return true;
    const tokenOrganization = access?.organizationId ?? token.extra?.org_id;
    return tokenOrganization === owner;
  };
}
