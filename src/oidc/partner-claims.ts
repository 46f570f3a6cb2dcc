import type { KoaContextWithOIDC } from 'oidc-provider';
import type { PartnerStanding } from '../domain/federations/partner-access.js';
import { ipAllowed } from '../domain/federations/trust-rule-decision.js';
import type { TenantAccess } from '../domain/organizations/organization-access.js';

/**
 * What a partner's tokens say beside the target's org_id and org_slug: where the user is a member
 * (`home_org_id`, `home_org_slug`) and the federation that lets them in (`federation`, its slug),
 * so an API can tell a partner from a member and log where they came from.
 */
export const partnerClaims = (partner: PartnerStanding) => ({
  home_org_id: partner.homeOrganizationId,
  home_org_slug: partner.homeOrganizationSlug,
  federation: partner.federationSlug,
});

/**
 * A trust rule's `ip_restrictions` hold at every token issue under a partner's grant, not only at
 * sign-in: a refresh from outside the ranges is refused (findAccount answers "no account", which
 * oidc-provider turns into invalid_grant, RFC 6749 §5.2). `ctx.ip` is the forwarded address only
 * when TRUST_PROXY is on (provider-host.ts).
 */
export function partnerRefreshRefused(ctx: KoaContextWithOIDC | undefined, access: TenantAccess): boolean {
  if (!access.partner || !ctx?.oidc) return false;
  const refreshing = ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'refresh_token';
  return refreshing && !ipAllowed(access.partner.ipRestrictions, ctx.ip);
}
