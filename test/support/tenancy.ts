import { randomUUID } from 'node:crypto';
import type { AdminPrincipal } from '../../src/domain/organizations/admin-principal.js';
import type { TestGatehouse } from './gatehouse.js';

/** The operator acting directly (as the CLI does): environment-wide, recorded as `system`. */
export const OPERATOR: AdminPrincipal = {
  actor: { type: 'system', id: 'test' },
  scope: { kind: 'environment' },
};

/** A slug no other suite of the run uses (they share one database). */
export const uniqueSlug = (name: string) =>
  `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID().slice(0, 8)}`;

/** Creates an organization (optionally under `parent`) with roles, through the admin services. */
export async function createOrganization(
  gh: TestGatehouse,
  name: string,
  options: {
    parent?: string;
    roles?: Array<{ name: string; permissions: string[]; admin?: boolean; overridable?: boolean }>;
    domainPolicy?: { sso_required?: boolean; auto_join?: boolean; allow_local_passwords?: boolean };
    defaultRole?: string;
  } = {},
) {
  const { admin } = gh.container;
  const organization = await admin.organizations.create(OPERATOR, {
    slug: uniqueSlug(name),
    name,
    ...(options.parent ? { parent: options.parent } : {}),
    ...(options.domainPolicy ? { domain_policy: options.domainPolicy } : {}),
  });
  for (const role of options.roles ?? []) {
    await admin.roles.create(OPERATOR, organization.id, {
      admin: false,
      overridable: false,
      ...role,
    });
  }
  if (options.defaultRole) {
    return admin.organizations.update(OPERATOR, organization.id, { default_role: options.defaultRole });
  }
  return organization;
}

export async function addMember(gh: TestGatehouse, organizationId: string, userId: string, roles: string[]) {
  return gh.container.admin.memberships.add(OPERATOR, organizationId, {
    user_id: userId,
    roles,
    status: 'active',
  });
}
