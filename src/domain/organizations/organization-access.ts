import { emailDomain } from '../../lib/email.js';
import { newId } from '../../lib/ids.js';
import type { Database, Repositories, UserRecord } from '../ports/repositories.js';
import type { GrantOrganizationRecord, OrganizationAccessRow, OrganizationRecord } from '../ports/tenancy.js';
import { accessEnd, contractPlan, entitlementsOf } from '../entitlements/effective-entitlements.js';
import {
  createPartnerAccess,
  type PartnerAccess,
  type PartnerStanding,
} from '../federations/partner-access.js';
import {
  asPartner,
  partnerBinding,
  partnerGrantAccess,
  recordPartnerAccess,
} from '../federations/partner-tenancy.js';
import { coveringPatterns } from './domain-names.js';
import { effectiveRoles, permissionsOf } from './role-inheritance.js';
import { recordChange } from './tenancy-scope.js';

export type AccessDenial =
  | 'organization_suspended'
  | 'organization_frozen'
  | 'organization_access_ended'
  | 'organization_deleted'
  | 'not_a_member'
  | 'membership_inactive'
  /** Partner access (domain/federations): the federation is frozen; the rule ended or is out of its window. */
  | 'partner_suspended'
  | 'partner_ended';

/** One user's standing in one organization, as tokens state it. */
export interface TenantAccess {
  organizationId: string;
  slug: string;
  /** Why the user may not act for the organization now; undefined when they may. */
  denied?: AccessDenial;
  roles: string[];
  permissions: string[];
  admin: boolean;
  /** Set when the user acts for the organization as a partner, through a federation's trust rule. */
  partner?: PartnerStanding;
}

/** Access under a grant: also who it was made for and how they signed in (the `idp`). */
export type GrantAccess = TenantAccess & { userId: string; connectionId: string | null };

/**
 * Reads the database answer for (organization, user) as the rules say: an organization is
 * suspended (or frozen) when it or any ancestor is; a contract whose trial or term ended at `now`
 * admits nobody (the root's plan, domain/entitlements); only an active membership counts; roles
 * resolve against the organization's effective (inherited) roles.
 */
export function accessFrom(row: OrganizationAccessRow, now: Date = new Date()): TenantAccess {
  const [organization] = row.chain;
  // A grant outlives its organization's deletion in the binding table: it must still be refused.
  if (!organization)
    return {
      organizationId: '',
      slug: '',
      roles: [],
      permissions: [],
      admin: false,
      denied: 'organization_deleted',
    };
  const base = {
    organizationId: organization.id,
    slug: organization.slug,
    roles: [],
    permissions: [],
    admin: false,
  };
  if (row.chain.some((org) => org.status !== 'active')) return { ...base, denied: 'organization_suspended' };
  if (row.chain.some((org) => org.frozen)) return { ...base, denied: 'organization_frozen' };
  if (accessEnd(entitlementsOf(contractPlan(row.chain)), now))
    return { ...base, denied: 'organization_access_ended' };
  if (!row.membership) return { ...base, denied: 'not_a_member' };
  if (row.membership.status !== 'active') return { ...base, denied: 'membership_inactive' };
  const roles = effectiveRoles(
    row.chain.map((org) => org.id),
    row.roles,
  );
  return { ...base, ...permissionsOf(row.membership.roles, roles) };
}

export interface OrganizationChoice {
  id: string;
  slug: string;
  name: string;
}

/** The token path's view of tenancy: which organization a grant speaks for and what it may do there. */
export function createOrganizationAccess(
  db: Database,
  now: () => Date = () => new Date(),
  partners: PartnerAccess = createPartnerAccess(db, now),
) {
  /** By id or slug: one round trip, whichever the caller has (two for a partner: domain/federations). */
  const forUser = async (organizationRef: string, userId: string): Promise<TenantAccess | undefined> => {
    const row = await db.access.forUser(organizationRef, userId);
    const access = row && accessFrom(row, now());
    // Members act with their own roles; only a non-member is looked at as a partner.
    if (access?.denied !== 'not_a_member') return access;
    return asPartner(access, await partners.forUser(access.organizationId, userId));
  };
  return {
    /** undefined when the grant is not bound to an organization (or the organization is gone). */
    async forGrant(grantId: string): Promise<GrantAccess | undefined> {
      const row = await db.access.forGrant(grantId);
      if (!row) return undefined;
      const base = accessFrom(row, now());
      const access = row.trustRuleId
        ? await partnerGrantAccess(partners, base, row.trustRuleId, row.userId)
        : base;
      return { ...access, userId: row.userId, connectionId: row.connectionId };
    },

    forUser,

    /** Organizations the user may sign in to now: active memberships in active organizations. */
    choicesFor: (userId: string): Promise<OrganizationChoice[]> => db.access.choicesFor(userId),

    /**
     * Auto-join (domain policy): a user whose verified email is in a domain the organization has
     * verified joins it with the default role. Unverified emails never join anything.
     */
    async autoJoin(organization: OrganizationRecord, user: UserRecord): Promise<boolean> {
      if (!organization.domainPolicy.auto_join || !user.emailVerified) return false;
      const claims = await db.domains.findVerifiedAmong(coveringPatterns(emailDomain(user.email)));
      if (!claims.some((claim) => claim.organizationId === organization.id)) return false;
      await db.transaction(async (repos) => {
        if (await repos.memberships.find(user.id, organization.id)) return;
        const membership = await repos.memberships.create({
          id: newId('mem'),
          userId: user.id,
          organizationId: organization.id,
          status: 'active',
          roles: organization.defaultRole ? [organization.defaultRole] : [],
        });
        await recordChange(
          repos,
          { type: 'user', id: user.id },
          {
            organizationId: organization.id,
            action: 'membership.auto_join',
            targetType: 'membership',
            targetId: membership.id,
            before: null,
            after: membership,
          },
        );
      });
      return true;
    },

    /**
     * Binds a new grant to its organization. A partner's grant also records the trust rule and home
     * organization it was made through (what its tokens state, and what freezing revokes).
     */
    async bindGrant(binding: GrantOrganizationRecord): Promise<void> {
      const standing = await forUser(binding.organizationId, binding.userId);
      const partner = standing?.partner && !standing.denied ? standing.partner : undefined;
      await db.grantOrganizations.bind({ ...binding, ...partnerBinding(partner) });
      if (partner) await recordPartnerAccess(db, binding, partner);
    },
  };
}
export type OrganizationAccess = ReturnType<typeof createOrganizationAccess>;

/**
 * The organization whose verified domain covers an email, most specific claim first (an exact
 * name beats `*.corp.example.com`, which beats `*.example.com`), with its domain policy.
 */
export async function organizationForEmail(
  db: Repositories,
  email: string,
): Promise<OrganizationRecord | undefined> {
  const patterns = coveringPatterns(emailDomain(email));
  if (patterns.length === 0) return undefined;
  const claims = await db.domains.findVerifiedAmong(patterns);
  const best = claims.sort((a, b) => patterns.indexOf(a.domain) - patterns.indexOf(b.domain))[0];
  return best && db.organizations.find(best.organizationId);
}
