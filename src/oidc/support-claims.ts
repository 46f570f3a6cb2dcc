import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import { impersonatedAccess } from '../domain/impersonation/impersonation-scope.js';
import type { TenantAccess } from '../domain/organizations/organization-access.js';
import type { SessionImpersonation } from '../domain/ports/sessions.js';

/** The support impersonation the registry keeps on a browser session (domain/ports/sessions.ts). */
export type SessionImpersonationReader = (sessionUid: string) => Promise<SessionImpersonation | undefined>;

/** What bounds a token of a support session: who acts, and what the approval allowed. */
export interface SupportBounds {
  id: string;
  actor: string;
  readOnly: boolean;
  permissions: readonly string[];
  /** The impersonation's end, when the token comes from its browser session. */
  expiresAt?: Date | undefined;
}

/** A code, refresh token or access token, as far as support access is concerned. */
export interface SupportToken {
  amr?: string[] | undefined;
  sessionUid?: string | undefined;
  extra?: Record<string, unknown> | undefined;
}

/** `amr` of a support sign-in (http/routes/impersonation.ts). */
export const SUPPORT_AMR = 'imp';

/**
 * The support impersonation behind a token: for a code or refresh token, the one its browser
 * session was signed in under (`amr` has "imp"); for an opaque access token, the one its own
 * claims name. `ended` when that impersonation is revoked or over: the token then gets nothing.
 */
export function createSupportLookup(
  read: SessionImpersonationReader,
  isLive: (id: string) => Promise<boolean>,
) {
  return async (token: SupportToken | undefined): Promise<SupportBounds | 'ended' | undefined> => {
    if (token?.amr?.includes(SUPPORT_AMR)) {
      const support = token.sessionUid ? await read(token.sessionUid) : undefined;
      if (!support || !(await isLive(support.impersonationId))) return 'ended';
      const { impersonationId: id, actorId: actor, readOnly, permissions, expiresAt } = support;
      return { id, actor, readOnly, permissions, expiresAt };
    }
    const claim = token?.extra?.impersonation as { id?: unknown; read_only?: unknown } | undefined;
    if (claim === undefined) return undefined;
    if (typeof claim.id !== 'string' || !(await isLive(claim.id))) return 'ended';
    const act = token?.extra?.act as { sub?: unknown } | undefined;
    const permissions = token?.extra?.permissions;
    return {
      id: claim.id,
      actor: typeof act?.sub === 'string' ? act.sub : '',
      readOnly: claim.read_only === true,
      permissions: Array.isArray(permissions) ? permissions.filter((p) => typeof p === 'string') : [],
    };
  };
}
export type SupportLookup = ReturnType<typeof createSupportLookup>;

/** The tenant claims of a support token: the approved permissions the user holds, the operator as `act`. */
export function supportClaims(bounds: SupportBounds, access: TenantAccess) {
  const bounded = impersonatedAccess(bounds, access);
  return {
    org_id: bounded.organizationId,
    org_slug: bounded.slug,
    roles: bounded.roles,
    permissions: bounded.permissions,
    act: { sub: bounds.actor },
    impersonation: { id: bounds.id, read_only: bounds.readOnly },
  };
}

/** A code or refresh token of a support session that is over yields no token (RFC 6749 §5.2). */
export function refuseEnded(): never {
  const refusal = new errors.InvalidGrant();
  refusal.error_description = 'the support access has ended';
  throw refusal;
}

type ResourceServerInfo = (
  ctx: KoaContextWithOIDC,
  resource: string,
  client: never,
) => Promise<ResourceServer>;

/**
 * The resource indicators configuration, with the lifetime of a support session's access tokens
 * cut to the impersonation's end: no token of it outlives it, even one an API checks offline.
 */
export function supportBoundResourceServers(
  base: ResourceServerInfo,
  support: SupportLookup,
): ResourceServerInfo {
  return async (ctx, resource, client) => {
    const info = await base(ctx, resource, client);
    const entities = ctx.oidc.entities as { AuthorizationCode?: SupportToken; RefreshToken?: SupportToken };
    const bounds = await support(entities.AuthorizationCode ?? entities.RefreshToken);
    if (bounds === 'ended') refuseEnded();
    if (!bounds?.expiresAt) return info;
    const left = Math.floor((bounds.expiresAt.getTime() - Date.now()) / 1000);
    if (left <= 0) refuseEnded();
    return { ...info, accessTokenTTL: Math.min(info.accessTokenTTL ?? left, left) };
  };
}
