import { newId } from '../../lib/ids.js';
import { NotFoundError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type {
  MembershipRecord,
  MembershipStatus,
  OrganizationRecord,
  PageRequest,
} from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import type { MembershipCreate, MembershipUpdate } from './membership-input.js';
import { assertRolesOffered } from './role-holders.js';
import { findUser, recordChange, visibleOrganization, visibleUser } from './tenancy-scope.js';

/**
 * A user's memberships, one organization at a time. A membership that is removed or suspended
 * stops every token of that organization at its next use: refresh, userinfo and introspection all
 * read the membership fresh (see organization-access.ts).
 */
export function createMembershipsAdmin(db: Database) {
  const membershipOf = async (repos: Repositories, organization: OrganizationRecord, userRef: string) => {
    const user = await findUser(repos, userRef);
    const membership = user && (await repos.memberships.find(user.id, organization.id));
    if (!membership) throw new NotFoundError(`membership of ${userRef}`);
    return membership;
  };

  return {
    async list(
      principal: AdminPrincipal,
      orgRef: string,
      filter: { status?: MembershipStatus | undefined; role?: string | undefined },
      page: PageRequest,
    ): Promise<MembershipRecord[]> {
      const organization = await visibleOrganization(db, principal, orgRef);
      return db.memberships.list({ organizationIds: [organization.id], ...filter }, page);
    },

    async get(principal: AdminPrincipal, orgRef: string, userRef: string): Promise<MembershipRecord> {
      return membershipOf(db, await visibleOrganization(db, principal, orgRef), userRef);
    },

    add(principal: AdminPrincipal, orgRef: string, input: MembershipCreate): Promise<MembershipRecord> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        // A delegated admin adds only users it already sees: another tenant's users (and whether an
        // email has an account elsewhere) stay invisible. Cross-tenant users join by SSO or auto-join.
        const user = await visibleUser(repos, principal, input.user_id ?? input.email!);
        return insertMembership(repos, principal, organization, user.id, input);
      });
    },

    update(
      principal: AdminPrincipal,
      orgRef: string,
      userRef: string,
      changes: MembershipUpdate,
    ): Promise<MembershipRecord> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await membershipOf(repos, organization, userRef);
        if (changes.roles)
          await assertRolesOffered(repos, await chainIds(repos, organization), changes.roles, 'roles');
        // A rule-given role the administrator removed is no longer the rules' to take back; one
        // the administrator kept stays theirs (SSO sign-ins re-evaluate it).
        const ruleRoles = changes.roles && before.ruleRoles.filter((role) => changes.roles!.includes(role));
        const after = await repos.memberships.update(before.id, {
          ...changes,
          ...(ruleRoles ? { ruleRoles } : {}),
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'membership.update',
          targetType: 'membership',
          targetId: before.id,
          before,
          after,
        });
        return after;
      });
    },

    remove(principal: AdminPrincipal, orgRef: string, userRef: string): Promise<void> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await membershipOf(repos, organization, userRef);
        await repos.memberships.delete(before.id);
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'membership.delete',
          targetType: 'membership',
          targetId: before.id,
          before,
          after: null,
        });
      });
    },
  };
}
export type MembershipsAdmin = ReturnType<typeof createMembershipsAdmin>;

/**
 * Makes `userId` a member (with the organization's default role unless `roles` are given) and
 * records it; runs inside the caller's transaction. `ruleRoles`: which of `roles` SSO role rules
 * gave (see Membership.ruleRoles).
 */
export async function insertMembership(
  repos: Repositories,
  principal: AdminPrincipal,
  organization: OrganizationRecord,
  userId: string,
  input: { roles?: string[] | undefined; status: MembershipStatus; ruleRoles?: string[] | undefined },
): Promise<MembershipRecord> {
  const roles = input.roles ?? (organization.defaultRole ? [organization.defaultRole] : []);
  await assertRolesOffered(repos, await chainIds(repos, organization), roles, 'roles');
  const membership = await repos.memberships.create({
    id: newId('mem'),
    userId,
    organizationId: organization.id,
    status: input.status,
    roles,
    ruleRoles: input.ruleRoles ?? [],
  });
  await recordChange(repos, principal.actor, {
    organizationId: organization.id,
    action: 'membership.create',
    targetType: 'membership',
    targetId: membership.id,
    before: null,
    after: membership,
  });
  return membership;
}

const chainIds = async (repos: Repositories, organization: OrganizationRecord) =>
  (await repos.organizations.chain(organization.id)).map((org) => org.id);
