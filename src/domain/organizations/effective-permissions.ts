import type { EffectiveSettings } from './organizations-admin.js';

export interface EffectivePermission {
  permission: string;
  /** The effective roles that grant it, by name. */
  roles: string[];
}

/**
 * Every permission some role of the organization grants (its own roles and inherited ones, as
 * effectiveSettings resolves them), once each, with the roles granting it; sorted by name.
 */
export function effectivePermissions(roles: EffectiveSettings['roles']): EffectivePermission[] {
  const granting = new Map<string, string[]>();
  for (const role of roles) {
    for (const permission of new Set(role.permissions)) {
      granting.set(permission, [...(granting.get(permission) ?? []), role.name]);
    }
  }
  return [...granting.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, names]) => ({ permission, roles: names.sort() }));
}
