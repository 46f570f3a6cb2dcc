import type { KoaContextWithOIDC } from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import { newFirstPartyGrant } from './first-party-grant.js';
import type { GrantAccessReader } from './organization-claims.js';
import { chosenOrganization, grantServes, signedInThrough } from './organization-prompt.js';

/**
 * oidc-provider's loadExistingGrant with tenancy: the session's grant for a client is reused only
 * while it speaks for the organization chosen in this interaction. Otherwise a first-party client
 * gets a new grant bound to that organization, and a third-party client goes to consent
 * (interactions.finishConsent binds the grant it makes). Without a choice yet, no grant is made:
 * the organization prompt decides first.
 */
export function organizationGrantLoader(readAccess: GrantAccessReader, tenancy: OrganizationAccess) {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const chosen = chosenOrganization(ctx);
    const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(oidc.client!.clientId);
    const connectionId = signedInThrough(ctx);
    if (grantId && (await grantServes((id) => readAccess(ctx, id), grantId, chosen, connectionId))) {
      return oidc.provider.Grant.find(grantId);
    }
    if (chosen === undefined) return undefined;
    const grant = await newFirstPartyGrant(ctx);
    if (grant && chosen.id) {
      await tenancy.bindGrant({
        grantId: grant.jti,
        organizationId: chosen.id,
        userId: grant.accountId!,
        clientId: grant.clientId!,
        connectionId,
      });
    }
    return grant;
  };
}
