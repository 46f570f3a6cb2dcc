import { ForbiddenError, NotFoundError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { accessFrom } from '../organizations/organization-access.js';
import { findUser } from '../organizations/tenancy-scope.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { Actor, OrganizationRecord } from '../ports/tenancy.js';

/**
 * Support operators are the platform's own administrators: an environment-wide API key or the
 * CLI (whoever runs it administers the whole environment). An organization's key administers
 * that customer, and a customer does not impersonate its own users through Gatehouse.
 */
export function assertOperator(principal: AdminPrincipal): void {
  const platform = principal.actor.type === 'api_key' || principal.actor.type === 'cli';
  if (principal.scope.kind !== 'environment' || !platform) {
    throw new ForbiddenError(
      'support impersonation is requested by a platform operator (an environment API key or the CLI)',
    );
  }
}

export const sameActor = (a: Actor, b: Actor) => a.type === b.type && a.id === b.id;

/** What pages and the approver see: an API key's name, or the operating-system account. */
export async function operatorName(repos: Repositories, actor: Actor): Promise<string> {
  if (actor.type !== 'api_key') return actor.id;
  return (await repos.apiKeys.find(actor.id))?.name ?? actor.id;
}

/**
 * Who approves or denies for the organization. An organization-scoped principal that sees it is
 * one of its administrators (its own key or an ancestor's). An environment principal is the
 * platform side, the same side as the operator: it may only record the decision of one of the
 * organization's admin members, and only from the CLI, where the attestation is the operator's.
 */
export async function approverFor(
  db: Database,
  principal: AdminPrincipal,
  organization: OrganizationRecord,
  onBehalfOf: string | undefined,
): Promise<Actor> {
  if (principal.scope.kind === 'organization') return principal.actor;
  if (principal.actor.type !== 'cli' || onBehalfOf === undefined) {
    throw new ForbiddenError(
      'an impersonation is approved by an administrator of its organization: an API key of the ' +
        'organization, or the CLI on behalf of one of its admin members',
    );
  }
  const user = await findUser(db, onBehalfOf);
  if (!user) throw new NotFoundError(`user ${onBehalfOf}`);
  const row = await db.access.forUser(organization.id, user.id);
  const access = row && accessFrom(row);
  if (!access || access.denied || !access.admin) {
    throw new RuleViolationError(
      `${onBehalfOf} is not an admin member of ${organization.slug}`,
      'not_an_organization_admin',
      'on_behalf_of',
    );
  }
  return { type: 'user', id: user.id };
}
