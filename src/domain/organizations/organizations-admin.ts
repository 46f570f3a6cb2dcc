import { newId } from '../../lib/ids.js';
import { assertPlanSettable } from '../entitlements/plan-rules.js';
import { storedPlan } from '../entitlements/plan-input.js';
import { ForbiddenError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type {
  OrganizationFilter,
  OrganizationRecord,
  OrganizationStatus,
  PageRequest,
} from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import type { OrganizationCreate, OrganizationUpdate } from './organization-input.js';
import { assertRolesOffered } from './role-holders.js';
import { effectiveRoles } from './role-inheritance.js';
import { assertPoliciesAllowed, effectivePolicies, type EffectivePolicies } from './security-policies.js';
import { isScopeRoot, recordChange, visibleIds, visibleOrganization } from './tenancy-scope.js';

export interface OrganizationListFilter {
  parent?: string | undefined;
  status?: OrganizationStatus | undefined;
  slug?: string | undefined;
}

/** Organizations as admins manage them; every write is scoped to the principal and recorded. */
export function createOrganizationsAdmin(db: Database) {
  return {
    async list(principal: AdminPrincipal, filter: OrganizationListFilter, page: PageRequest) {
      const ids = await visibleIds(db, principal);
      const query: OrganizationFilter = { ids, status: filter.status, slug: filter.slug };
      if (filter.parent !== undefined)
        query.parentId = (await visibleOrganization(db, principal, filter.parent)).id;
      return db.organizations.list(query, page);
    },

    get: (principal: AdminPrincipal, ref: string) => visibleOrganization(db, principal, ref),

    /** Effective (inherited) roles and policies, with where each comes from. */
    async effective(principal: AdminPrincipal, ref: string) {
      const organization = await visibleOrganization(db, principal, ref);
      return effectiveSettings(db, organization);
    },

    create(principal: AdminPrincipal, input: OrganizationCreate): Promise<OrganizationRecord> {
      return db.transaction(async (repos) => {
        const parent = input.parent ? await visibleOrganization(repos, principal, input.parent) : undefined;
        if (!parent && principal.scope.kind === 'organization') {
          throw new ForbiddenError('a delegated admin can only create sub-organizations of its organization');
        }
        const chain = parent ? await repos.organizations.chain(parent.id) : [];
        if (input.plan) assertPlanSettable(principal, parent?.id ?? null);
        if (input.security_policies) assertPoliciesAllowed(input.security_policies, chain);
        if (input.default_role)
          await assertRolesOffered(repos, idsOf(chain), [input.default_role], 'default_role');
        const created = await repos.organizations.create({
          id: newId('org'),
          slug: input.slug,
          name: input.name,
          parentId: parent?.id ?? null,
          status: 'active',
          metadata: input.metadata ?? {},
          domainPolicy: input.domain_policy ?? {},
          securityPolicies: input.security_policies ?? {},
          defaultRole: input.default_role ?? null,
          branding: input.branding ?? {},
          plan: input.plan ? storedPlan(input.plan) : {},
          managedBy: null,
        });
        await recordChange(repos, principal.actor, {
          organizationId: created.id,
          action: 'organization.create',
          targetType: 'organization',
          targetId: created.id,
          before: null,
          after: created,
        });
        return created;
      });
    },

    update(principal: AdminPrincipal, ref: string, changes: OrganizationUpdate): Promise<OrganizationRecord> {
      return db.transaction(async (repos) => {
        const before = await visibleOrganization(repos, principal, ref);
        if (changes.status && changes.status !== before.status && isScopeRoot(principal, before.id)) {
          throw new ForbiddenError('a delegated admin cannot change the status of its own organization');
        }
        const chain = await repos.organizations.chain(before.id);
        if (changes.plan) assertPlanSettable(principal, before.parentId);
        if (changes.security_policies) assertPoliciesAllowed(changes.security_policies, chain.slice(1));
        if (changes.default_role)
          await assertRolesOffered(repos, idsOf(chain), [changes.default_role], 'default_role');
        const after = await repos.organizations.update(before.id, {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.status !== undefined ? { status: changes.status } : {}),
          ...(changes.metadata !== undefined ? { metadata: changes.metadata } : {}),
          ...(changes.domain_policy !== undefined ? { domainPolicy: changes.domain_policy } : {}),
          ...(changes.security_policies !== undefined ? { securityPolicies: changes.security_policies } : {}),
          ...(changes.default_role !== undefined ? { defaultRole: changes.default_role } : {}),
          ...(changes.branding !== undefined ? { branding: changes.branding } : {}),
          ...(changes.plan !== undefined ? { plan: storedPlan(changes.plan) } : {}),
        });
        await recordChange(repos, principal.actor, {
          organizationId: after.id,
          action:
            changes.status && changes.status !== before.status
              ? `organization.${verb(changes.status)}`
              : 'organization.update',
          targetType: 'organization',
          targetId: after.id,
          before,
          after,
        });
        return after;
      });
    },

    remove(principal: AdminPrincipal, ref: string): Promise<void> {
      return db.transaction(async (repos) => {
        const before = await visibleOrganization(repos, principal, ref);
        if (isScopeRoot(principal, before.id)) {
          throw new ForbiddenError('a delegated admin cannot delete its own organization');
        }
        await repos.organizations.delete(before.id);
        await recordChange(repos, principal.actor, {
          organizationId: before.id,
          action: 'organization.delete',
          targetType: 'organization',
          targetId: before.id,
          before,
          after: null,
        });
      });
    },
  };
}
export type OrganizationsAdmin = ReturnType<typeof createOrganizationsAdmin>;

const verb = (status: OrganizationStatus) => (status === 'suspended' ? 'suspend' : 'reactivate');

export interface EffectiveSettings {
  policies: EffectivePolicies;
  roles: Array<{
    name: string;
    permissions: string[];
    admin: boolean;
    overridable: boolean;
    defined_by: string;
    inherited: boolean;
  }>;
}

export async function effectiveSettings(
  repos: Repositories,
  organization: OrganizationRecord,
): Promise<EffectiveSettings> {
  const chain = await repos.organizations.chain(organization.id);
  const ids = idsOf(chain);
  const roles = effectiveRoles(ids, await repos.roles.listFor(ids));
  return {
    policies: effectivePolicies(chain),
    roles: [...roles.values()].map(({ role, inherited }) => ({
      name: role.name,
      permissions: role.permissions,
      admin: role.admin,
      overridable: role.overridable,
      defined_by: role.organizationId,
      inherited,
    })),
  };
}

const idsOf = (chain: readonly OrganizationRecord[]) => chain.map((org) => org.id);
