import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { findOrganization } from '../organizations/tenancy-scope.js';
import type { FederationRecord } from '../ports/federations.js';
import type { Repositories } from '../ports/repositories.js';

/**
 * Federations span organizations, so only environment-wide principals see them: a delegated
 * admin's key gets the 404 an unknown federation gets (cross-tenant reads are 404, not 403).
 */
export async function visibleFederation(
  repos: Repositories,
  principal: AdminPrincipal,
  ref: string,
): Promise<FederationRecord> {
  const federation =
    principal.scope.kind === 'environment'
      ? ref.startsWith('fed_')
        ? await repos.federations.find(ref)
        : await repos.federations.findBySlug(ref)
      : undefined;
  if (!federation) throw new NotFoundError(`federation ${ref}`);
  return federation;
}

/** An organization by id or slug, for a federation's member list or rule. */
export async function memberOrganization(repos: Repositories, ref: string) {
  const organization = await findOrganization(repos, ref);
  if (!organization) throw new NotFoundError(`organization ${ref}`);
  return organization;
}
