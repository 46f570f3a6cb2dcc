import { sameSet } from '../../lib/same-set.js';
import { insertMembership } from '../organizations/memberships-admin.js';
import { effectiveRoles } from '../organizations/role-inheritance.js';
import { recordChange } from '../organizations/tenancy-scope.js';
import type { DirectoryRecord, DirectoryUserRecord } from '../ports/directories.js';
import type { Repositories } from '../ports/repositories.js';
import type { Actor, MembershipStatus, OrganizationRecord } from '../ports/tenancy.js';

/** The roles the directory's group-to-role map gives for the user's groups, where still offered. */
async function mappedRoles(
  repos: Repositories,
  directory: DirectoryRecord,
  organizationId: string,
  directoryUserId: string,
): Promise<string[]> {
  const map = new Map(
    Object.entries(directory.groupRoleMap).map(([group, role]) => [group.toLowerCase(), role]),
  );
  if (map.size === 0) return [];
  const groups = await repos.directoryGroups.groupNamesOf(directoryUserId);
  const wanted = [...new Set(groups.flatMap((name) => map.get(name.toLowerCase()) ?? []))];
  if (wanted.length === 0) return [];
  // A role deleted since the map was written is dropped rather than failing the whole sync.
  const chain = (await repos.organizations.chain(organizationId)).map((org) => org.id);
  const offered = effectiveRoles(chain, await repos.roles.listFor(chain));
  return wanted.filter((role) => offered.has(role)).sort();
}

export interface AccessChange {
  userId: string;
  organizationId: string;
  /** The membership was active and no longer is: sessions and tokens must go. */
  revoked: boolean;
}

/**
 * Brings the user's membership in the directory's organization in line with what the directory
 * says: active while the SCIM user is active (and exists), suspended otherwise; roles from the
 * group-to-role map, taking back only roles the map gave before (an administrator's stay).
 */
export async function syncDirectoryAccess(
  repos: Repositories,
  actor: Actor,
  directory: DirectoryRecord,
  organization: OrganizationRecord,
  user: DirectoryUserRecord,
  options: { removed?: boolean } = {},
): Promise<AccessChange> {
  const active = user.active && !options.removed;
  const desired = options.removed ? [] : await mappedRoles(repos, directory, organization.id, user.id);
  const change = { userId: user.userId, organizationId: organization.id, revoked: false };
  const membership = await repos.memberships.find(user.userId, organization.id);
  if (!options.removed && !sameSet(user.directoryRoles, desired)) {
    await repos.directoryUsers.setDirectoryRoles(user.id, desired);
  }
  if (!membership) {
    if (!active) return change;
    const principal = { actor, scope: { kind: 'organization' as const, organizationId: organization.id } };
    const base = organization.defaultRole ? [organization.defaultRole] : [];
    await insertMembership(repos, principal, organization, user.userId, {
      roles: [...new Set([...base, ...desired])],
      status: 'active',
    });
    return change;
  }
  const kept = membership.roles.filter((role) => !user.directoryRoles.includes(role));
  const roles = [...new Set([...kept, ...desired])];
  const status: MembershipStatus = active ? 'active' : 'suspended';
  if (status === membership.status && sameSet(roles, membership.roles)) return change;
  const after = await repos.memberships.update(membership.id, { status, roles });
  await recordChange(repos, actor, {
    organizationId: organization.id,
    action: 'membership.update',
    targetType: 'membership',
    targetId: membership.id,
    before: membership,
    after,
  });
  return { ...change, revoked: membership.status === 'active' && status !== 'active' };
}

/** The group names (lower case) whose role the map changed: added, removed or pointed elsewhere. */
function remappedGroups(before: Record<string, string>, after: Record<string, string>): string[] {
  const lower = (map: Record<string, string>) =>
    new Map(Object.entries(map).map(([group, role]) => [group.toLowerCase(), role]));
  const [old, now] = [lower(before), lower(after)];
  return [...new Set([...old.keys(), ...now.keys()])].filter((group) => old.get(group) !== now.get(group));
}

/**
 * After the group-to-role map changed: the members of every group whose mapping changed get the
 * roles the new map gives, at once, not at their next SCIM update.
 */
export async function resyncRemappedRoles(
  repos: Repositories,
  actor: Actor,
  before: DirectoryRecord,
  after: DirectoryRecord,
): Promise<void> {
  const groups = remappedGroups(before.groupRoleMap, after.groupRoleMap);
  if (groups.length === 0) return;
  const organization = await repos.organizations.find(after.organizationId);
  if (!organization) return;
  for (const id of await repos.directoryGroups.memberIdsOfGroups(after.id, groups)) {
    const user = await repos.directoryUsers.find(after.id, id);
    if (user) await syncDirectoryAccess(repos, actor, after, organization, user);
  }
}
