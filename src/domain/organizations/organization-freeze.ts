import { ForbiddenError } from '../errors.js';
import type { Database } from '../ports/repositories.js';
import type { Actor, OrganizationRecord } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

/** Ends every session and grant of these organizations and tells the applications (oidc/organization-revocation.ts). */
export type RevokeOrganizationAccess = (
  organizationIds: readonly string[],
  options?: { actor?: Actor },
) => Promise<{ sessions: number; grants: number }>;

export interface FreezeResult {
  organization: OrganizationRecord;
  /** What the freeze ended, across the organization and its sub-organizations. */
  revoked: { sessions: number; grants: number };
}

/**
 * The kill switch. Freezing marks the organization (its sub-organizations follow, as with a
 * suspension: access checks walk the chain) so that from the commit on no sign-in, token or
 * refresh is admitted, then ends whatever sessions and grants exist. Unfreezing lets sign-ins in
 * again; what the freeze revoked stays revoked. Only an operator (environment principal) may do
 * either: a delegated admin must not be able to lift a freeze on itself.
 */
export function createOrganizationFreeze(db: Database, revoke: RevokeOrganizationAccess, now: () => Date) {
  // Visibility first: an organization outside a delegated admin's subtree is 404, not 403.
  const operatorOnly = async (principal: AdminPrincipal, ref: string) => {
    await visibleOrganization(db, principal, ref);
    if (principal.scope.kind !== 'environment')
      throw new ForbiddenError(
        'only an operator (an environment API key or the CLI) may freeze organizations',
      );
  };
  const setFrozen = (principal: AdminPrincipal, ref: string, frozen: { at: Date; reason: string } | null) =>
    db.transaction(async (repos) => {
      const before = await visibleOrganization(repos, principal, ref);
      if (
        (before.frozenAt !== null) === (frozen !== null) &&
        before.frozenReason === (frozen?.reason ?? null)
      )
        return before;
      const after = await repos.organizations.update(before.id, {
        frozenAt: frozen ? (before.frozenAt ?? frozen.at) : null,
        frozenReason: frozen?.reason ?? null,
      });
      await recordChange(repos, principal.actor, {
        organizationId: after.id,
        action: frozen ? 'organization.frozen' : 'organization.unfrozen',
        targetType: 'organization',
        targetId: after.id,
        before,
        after,
      });
      return after;
    });

  return {
    async freeze(principal: AdminPrincipal, ref: string, reason: string): Promise<FreezeResult> {
      await operatorOnly(principal, ref);
      const organization = await setFrozen(principal, ref, { at: now(), reason });
      // After the commit: every check already refuses the organization, so nothing issued from
      // here on survives; this ends what was issued before (again, harmlessly, on a repeat).
      const ids = await db.organizations.subtreeIds(organization.id);
      const revoked = await revoke(ids, { actor: principal.actor });
      return { organization, revoked };
    },

    async unfreeze(principal: AdminPrincipal, ref: string): Promise<OrganizationRecord> {
      await operatorOnly(principal, ref);
      return setFrozen(principal, ref, null);
    },
  };
}
export type OrganizationFreeze = ReturnType<typeof createOrganizationFreeze>;
