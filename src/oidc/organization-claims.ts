import type { FindAccount, KoaContextWithOIDC } from 'oidc-provider';
import type { OrganizationAccess, TenantAccess } from '../domain/organizations/organization-access.js';

type Access = (TenantAccess & { userId: string }) | undefined;

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

/** Claims naming exactly one organization; the `claims` config releases them per scope. */
export function organizationClaims(access: TenantAccess) {
  return {
    org_id: access.organizationId,
    org_slug: access.slug,
    roles: access.roles,
    permissions: access.permissions,
  };
}

/**
 * Wraps account lookup with the tenant rule: a token made under a grant for an organization is
 * only honoured while the user may act there. A removed or suspended membership, or a suspended
 * organization, makes the account "not found" for that token, so the next refresh, code
 * exchange or userinfo call fails (invalid_grant / invalid_token).
 */
export function withOrganizationClaims(findAccount: FindAccount, readAccess: GrantAccessReader): FindAccount {
  return async (ctx, sub, token) => {
    const grantId = (token as { grantId?: string } | undefined)?.grantId;
    const [account, access] = await Promise.all([
      findAccount(ctx, sub, token),
      grantId ? readAccess(ctx, grantId) : undefined,
    ]);
    if (!account || !access) return account;
    if (access.denied || access.userId !== sub) return undefined;
    return {
      ...account,
      async claims(use, scope, claims, rejected) {
        return { ...(await account.claims(use, scope, claims, rejected)), ...organizationClaims(access) };
      },
    };
  };
}

/**
 * The organization of tokens minted without a grant behind them (token exchange): the handler
 * decides it and leaves it here, keyed by the token instance, for extraTokenClaims to read.
 */
export type IssuedTokenAccess = WeakMap<object, TenantAccess>;

/**
 * RFC 9068 access tokens (and opaque ones, whose introspection shows the same) carry the tenant
 * the token was issued for, so an API can authorize without another call. Client credentials
 * tokens of a client owned by an organization name that organization.
 */
export function organizationTokenClaims(readAccess: GrantAccessReader, issued: IssuedTokenAccess) {
  return async (ctx: KoaContextWithOIDC, token: { grantId?: string; kind?: string }) => {
    const decided = issued.get(token);
    if (decided) return organizationClaims(decided);
    if (token.grantId) {
      const access = await readAccess(ctx, token.grantId);
      return access && !access.denied ? organizationClaims(access) : undefined;
    }
    const owner = ctx.oidc.client?.metadata().organization_id;
    return token.kind === 'ClientCredentials' && typeof owner === 'string' ? { org_id: owner } : undefined;
  };
}

type IntrospectionPolicy = (
  ctx: KoaContextWithOIDC,
  client: { clientId: string; clientAuthMethod?: string | undefined; metadata(): Record<string, unknown> },
  token: { clientId?: string | undefined; grantId?: string; extra?: Record<string, unknown> },
) => Promise<boolean>;

/**
 * Introspection answers `active: false` for a token whose organization is suspended or whose
 * membership ended, and for any token introspected by a resource server that belongs to another
 * organization: tenant A's token is never active at tenant B's API.
 */
export function organizationIntrospectionPolicy(
  readAccess: GrantAccessReader,
  base: IntrospectionPolicy,
): IntrospectionPolicy {
  return async (ctx, client, token) => {
    if (!(await base(ctx, client, token))) return false;
    const access = token.grantId ? await readAccess(ctx, token.grantId) : undefined;
    if (access?.denied) return false;
    const owner = client.metadata().organization_id;
    if (typeof owner !== 'string') return true;
    const tokenOrganization = access?.organizationId ?? token.extra?.org_id;
    return tokenOrganization === owner;
  };
}
