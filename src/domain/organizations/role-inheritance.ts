import { RuleViolationError } from '../errors.js';
import type { RoleRecord } from '../ports/tenancy.js';

type RoleDefinition = Pick<RoleRecord, 'organizationId' | 'name' | 'permissions' | 'admin' | 'overridable'>;

export interface EffectiveRole<R extends RoleDefinition = RoleDefinition> {
  role: R;
  /** Defined by an ancestor rather than by the organization itself. */
  inherited: boolean;
}

/**
 * The roles an organization offers: its own plus every ancestor's, by name. Where a
 * sub-organization defines a role an ancestor also defines, the nearest definition wins, but
 * only if the ancestor marked its role overridable; otherwise the ancestor's definition stands
 * (the write that tried to override it is refused, see assertMayDefineRole).
 *
 * `chainIds` is nearest first (the organization itself at [0]).
 */
export function effectiveRoles<R extends RoleDefinition>(
  chainIds: readonly string[],
  roles: readonly R[],
): Map<string, EffectiveRole<R>> {
  const byOrganization = new Map<string, R[]>();
  for (const role of roles) {
    const list = byOrganization.get(role.organizationId) ?? [];
    list.push(role);
    byOrganization.set(role.organizationId, list);
  }
  const result = new Map<string, EffectiveRole<R>>();
  // From the root down: a later (nearer) definition replaces an earlier one only where allowed.
  for (let depth = chainIds.length - 1; depth >= 0; depth -= 1) {
    for (const role of byOrganization.get(chainIds[depth]!) ?? []) {
      const existing = result.get(role.name);
      if (existing && !existing.role.overridable) continue;
      result.set(role.name, { role, inherited: depth > 0 });
    }
  }
  return result;
}

/** Refuses a role a sub-organization may not define because an ancestor's role of that name is locked. */
export function assertMayDefineRole(
  name: string,
  ancestorIds: readonly string[],
  ancestorRoles: readonly RoleDefinition[],
): void {
  const inherited = effectiveRoles(ancestorIds, ancestorRoles).get(name);
  if (inherited && !inherited.role.overridable) {
    throw new RuleViolationError(
      `role ${name} is inherited from a parent organization that does not allow overriding it`,
      'role_not_overridable',
      'name',
    );
  }
}

/** Permissions granted by holding `roleNames` in an organization with these effective roles. */
export function permissionsOf(
  roleNames: readonly string[],
  roles: ReadonlyMap<string, EffectiveRole>,
): { roles: string[]; permissions: string[]; admin: boolean } {
  const held: string[] = [];
  const permissions = new Set<string>();
  let admin = false;
  for (const name of roleNames) {
    const effective = roles.get(name);
    // A role deleted or no longer offered grants nothing, even if a membership still names it.
    if (!effective) continue;
    held.push(name);
    admin ||= effective.role.admin;
    for (const permission of effective.role.permissions) permissions.add(permission);
  }
  return { roles: held, permissions: [...permissions].sort(), admin };
}
