import { allPages } from '../all-pages.js';
import type { Repositories } from '../ports/repositories.js';
import { effectiveRoles } from './role-inheritance.js';

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
