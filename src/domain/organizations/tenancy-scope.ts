import { NotFoundError } from '../errors.js';
import { appendChangeEvents } from '../events/change-events.js';
import { normalizeEmail } from '../../lib/email.js';
import type { Repositories, UserRecord } from '../ports/repositories.js';
import type { Actor, AuditEntry, OrganizationRecord } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';

/** Organizations are addressed by id (`org_...`) or by slug, whichever the caller has. */
export async function findOrganization(
  repos: Repositories,
  ref: string,
): Promise<OrganizationRecord | undefined> {
  return ref.startsWith('org_') ? repos.organizations.find(ref) : repos.organizations.findBySlug(ref);
}

/**
 * The ids a principal may see, or undefined for the whole environment. A delegated admin sees its
 * organization and everything below it; the subtree is read fresh, so a new sub-organization is
 * manageable at once.
 */
export async function visibleIds(
  repos: Repositories,
  principal: AdminPrincipal,
): Promise<readonly string[] | undefined> {
  if (principal.scope.kind === 'environment') return undefined;
  return repos.organizations.subtreeIds(principal.scope.organizationId);
}

/**
 * Whether an object owned by `organizationId` (null: the whole environment) lies within `ids`, the
 * visible organizations (see visibleIds). Environment-wide objects are for environment admins only.
 */
export const withinScope = (ids: readonly string[] | undefined, organizationId: string | null) =>
  !ids || (organizationId !== null && ids.includes(organizationId));

/** The organization if the principal may see it; otherwise NotFound, exactly as if it did not exist. */
export async function visibleOrganization(
  repos: Repositories,
  principal: AdminPrincipal,
  ref: string,
): Promise<OrganizationRecord> {
  const organization = await findOrganization(repos, ref);
  if (organization) {
    const ids = await visibleIds(repos, principal);
    if (!ids || ids.includes(organization.id)) return organization;
  }
  throw new NotFoundError(`organization ${ref}`);
}

/** Whether the organization is the principal's own root (which it may manage but not remove or suspend). */
export const isScopeRoot = (principal: AdminPrincipal, organizationId: string) =>
  principal.scope.kind === 'organization' && principal.scope.organizationId === organizationId;

/**
 * Every admin write leaves one record in the same transaction as the write itself, and a change
 * to users, memberships, roles or groups also appends its events (events/change-events.ts) there:
 * the change, its audit record and its events commit together or not at all. Record a user's
 * deletion before deleting the row: its event goes to the organizations of the memberships the
 * deletion cascades away.
 */
export async function recordChange(
  repos: Repositories,
  actor: Actor,
  entry: Omit<AuditEntry, 'actor'>,
): Promise<void> {
  await repos.audit.append({ ...entry, actor });
  await appendChangeEvents(repos, entry);
}

/**
 * The user if the principal may see it. A delegated admin sees the users with a membership in its
 * subtree; any other user behaves as if it did not exist.
 */
export async function visibleUser(
  repos: Repositories,
  principal: AdminPrincipal,
  ref: string,
): Promise<UserRecord> {
  const user = await findUser(repos, ref);
  const ids = await visibleIds(repos, principal);
  if (user && (!ids || (await isMemberOfAny(repos, user.id, ids)))) return user;
  throw new NotFoundError(`user ${ref}`);
}

async function isMemberOfAny(repos: Repositories, userId: string, organizationIds: readonly string[]) {
  return (await repos.memberships.list({ userId, organizationIds }, { limit: 1 })).length > 0;
}

/** Users are addressed by id (`usr_...`) or email. */
export async function findUser(repos: Repositories, ref: string): Promise<UserRecord | undefined> {
  return ref.startsWith('usr_') ? repos.users.findById(ref) : repos.users.findByEmail(normalizeEmail(ref));
}
