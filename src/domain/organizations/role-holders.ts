import { allPages } from '../all-pages.js';
import { RuleViolationError } from '../errors.js';
import type { Repositories } from '../ports/repositories.js';
import { effectiveRoles } from './role-inheritance.js';

/**
 * Role names (a membership's roles, a default role) must name roles offered along `chainIds`,
 * nearest first: the organization's own and its ancestors'. The chain is passed rather than read
 * so an organization being created can be checked against its parent's.
 */
export async function assertRolesOffered(
  repos: Repositories,
  chainIds: readonly string[],
  names: readonly string[],
  field: 'roles' | 'default_role' | 'group_role_map',
): Promise<void> {
  const offered = effectiveRoles(chainIds, await repos.roles.listFor(chainIds));
  const unknown = names.filter((name) => !offered.has(name));
  if (unknown.length > 0) {
    throw new RuleViolationError(
      `unknown role ${unknown.join(', ')} for this organization`,
      'unknown_role',
      field,
    );
  }
}

/**
 * Takes a deleted role's name off memberships in the organization and below it, except where the
 * name is still offered: a sub-organization's own role, or an ancestor's role of the same name.
 */
export async function dropRoleWhereNoLongerOffered(tx: Repositories, organizationId: string, name: string) {
  const ancestors = (await tx.organizations.chain(organizationId)).slice(1).map((org) => org.id);
  const subtree = await tx.organizations.subtreeIds(organizationId);
  const rows = await allPages((page) => tx.organizations.list({ ids: subtree }, page));
  const parentOf = new Map(rows.map((row) => [row.id, row.parentId]));
  const roles = await tx.roles.listFor([...ancestors, ...subtree]);
  const chainOf = (id: string): string[] => {
    const chain: string[] = [];
    for (let at: string | null | undefined = id; at && at !== organizationId; at = parentOf.get(at)) {
      chain.push(at);
    }
    return [...chain, organizationId, ...ancestors];
  };
  const affected = subtree.filter((id) => !effectiveRoles(chainOf(id), roles).has(name));
  if (affected.length > 0) await tx.memberships.removeRole(affected, name);
}
