import { newId } from '../../lib/ids.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord, RoleRecord } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { dropRoleWhereNoLongerOffered } from './role-holders.js';
import { assertMayDefineRole } from './role-inheritance.js';
import type { RoleCreate, RoleUpdate } from './role-input.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

/** Roles an organization defines itself; inherited ones are read through `effective`. */
export function createRolesAdmin(db: Database) {
  const roleOf = async (repos: Repositories, organization: OrganizationRecord, name: string) => {
    const role = await repos.roles.find(organization.id, name);
    if (!role) throw new NotFoundError(`role ${name}`);
    return role;
  };

  return {
    async list(principal: AdminPrincipal, orgRef: string): Promise<RoleRecord[]> {
      const organization = await visibleOrganization(db, principal, orgRef);
      return db.roles.listFor([organization.id]);
    },

    async get(principal: AdminPrincipal, orgRef: string, name: string): Promise<RoleRecord> {
      return roleOf(db, await visibleOrganization(db, principal, orgRef), name);
    },

    create(principal: AdminPrincipal, orgRef: string, input: RoleCreate): Promise<RoleRecord> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const ancestors = (await repos.organizations.chain(organization.id)).slice(1).map((org) => org.id);
        assertMayDefineRole(input.name, ancestors, await repos.roles.listFor(ancestors));
        const role = await repos.roles.create({
          id: newId('rol'),
          organizationId: organization.id,
          name: input.name,
          description: input.description ?? null,
          permissions: input.permissions,
          admin: input.admin,
          overridable: input.overridable,
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'role.create',
          targetType: 'role',
          targetId: role.id,
          before: null,
          after: role,
        });
        return role;
      });
    },

    update(
      principal: AdminPrincipal,
      orgRef: string,
      name: string,
      changes: RoleUpdate,
    ): Promise<RoleRecord> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await roleOf(repos, organization, name);
        const after = await repos.roles.update(before.id, changes);
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'role.update',
          targetType: 'role',
          targetId: before.id,
          before,
          after,
        });
        return after;
      });
    },

    /** Deleting a role takes it off the memberships that held it, in the same transaction. */
    remove(principal: AdminPrincipal, orgRef: string, name: string): Promise<void> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await roleOf(repos, organization, name);
        if (organization.defaultRole === name) {
          throw new ConflictError(
            `role ${name} is the organization's default role; change default_role first`,
            'role_in_use',
          );
        }
        const assigning = (organization.provisioning.role_rules ?? []).findIndex(
          (rule) => rule.assign_role === name,
        );
        if (assigning >= 0) {
          throw new ConflictError(
            `role ${name} is assigned by provisioning role_rules[${assigning}]; change the provisioning first`,
            'role_in_use',
          );
        }
        await repos.roles.delete(before.id);
        await dropRoleWhereNoLongerOffered(repos, organization.id, name);
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'role.delete',
          targetType: 'role',
          targetId: before.id,
          before,
          after: null,
        });
      });
    },
  };
}
export type RolesAdmin = ReturnType<typeof createRolesAdmin>;
