import type { TenantAccess } from '../organizations/organization-access.js';
import { permits } from '../organizations/permissions.js';

/** What an impersonation's tokens may state, whatever the user's own standing says. */
export interface ImpersonationBounds {
  readOnly: boolean;
  /** The permissions the approval named (empty when read-only). */
  permissions: readonly string[];
}

/**
 * The standing an impersonation's tokens state: the user's organization, no roles (a role stands
 * for permissions an API may grant by name, which would carry more than the approval), and the
 * approved permissions the user still holds (`*` and `ns:*` grants cover names as resource
 * servers read them, permissions.ts). Read-only: no permissions at all.
 */
export function impersonatedAccess(bounds: ImpersonationBounds, standing: TenantAccess): TenantAccess {
  const permissions = bounds.readOnly
    ? []
    : [...new Set(bounds.permissions)].filter((name) => permits(standing.permissions, name)).sort();
  return { ...standing, roles: [], permissions, admin: false };
}
