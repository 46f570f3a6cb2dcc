import { boundedSet } from '../../lib/bounded-set.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleOrganization } from '../organizations/tenancy-scope.js';
import type { Database } from '../ports/repositories.js';
import { accessEnd, monthOf, type AccessEnd, type Entitlements } from './effective-entitlements.js';
import { connectionsUsed, contractOf } from './entitlement-checks.js';
import type { Rate } from './rate.js';
import { monthlyQuotaReached } from './sign-in-admission.js';
import type { Feature } from './tiers.js';

export interface EntitlementsReport {
  organizationId: string;
  /** The root organization whose plan applies. */
  contractOrganizationId: string;
  entitlements: Entitlements;
  /** Set when the trial or contract is over: sign-ins are refused and tokens are inactive. */
  accessEnded: AccessEnd | null;
  usage: { month: string; monthlyActiveUsers: number; connections: number };
}

/** About 10 MB at most: one entry per organization and user signing in this month. */
const RECORDED_SIGN_INS_KEPT = 100_000;

export const MAU_REFUSAL =
  "Your organization has reached its plan's limit of monthly active users this month. Ask your administrator.";

/** The contract's entitlements as the sign-in path, the admin API and other modules ask for them. */
export function createEntitlements(db: Database, now: () => Date) {
  // A user's next sign-in of the month is already counted: the process remembers whom it recorded
  // (the month is part of what it remembers) and writes only what it has not. Rows are never
  // deleted but with their organization, so a row remembered here is a row in the table.
  const recorded = boundedSet(RECORDED_SIGN_INS_KEPT);
  const contractIds = async (organizationId: string) => {
    const { chain, entitlements } = await contractOf(db, organizationId);
    const root = chain[chain.length - 1]!;
    return { root, chain, entitlements, ids: await db.organizations.subtreeIds(root.id) };
  };

  return {
    forOrganization: async (organizationId: string): Promise<Entitlements> =>
      (await contractOf(db, organizationId)).entitlements,

    /** For other modules (custom domains, ...): whether the organization's plan includes the feature. */
    allows: async (organizationId: string, feature: Feature): Promise<boolean> =>
      (await contractOf(db, organizationId)).entitlements.features[feature],

    /** The plan's monthly-active-user quota at sign-in; the refusal's words when it is reached. */
    admitSignIn: async (organizationId: string, userId: string): Promise<string | undefined> =>
      (await monthlyQuotaReached(db, organizationId, userId, now())) ? MAU_REFUSAL : undefined,

    /** A finished sign-in to the organization: the user is active there this month. */
    async recordSignIn(organizationId: string, userId: string): Promise<void> {
      const month = monthOf(now());
      const key = `${organizationId} ${month} ${userId}`;
      if (recorded.has(key)) return;
      await db.monthlyActiveUsers.record(organizationId, month, userId);
      recorded.add(key);
    },

    /** The contract's API rate limit and the id its counter is kept under; undefined: unlimited. */
    async apiRateLimit(organizationId: string): Promise<{ contractId: string; rate: Rate } | undefined> {
      const { chain, entitlements } = await contractOf(db, organizationId);
      const rate = entitlements.quotas.apiRateLimit;
      return rate ? { contractId: chain[chain.length - 1]!.id, rate } : undefined;
    },

    /** GET /organizations/{org}/entitlements: effective features and quotas, and what is used. */
    async report(principal: AdminPrincipal, ref: string): Promise<EntitlementsReport> {
      const organization = await visibleOrganization(db, principal, ref);
      const { root, chain, entitlements, ids } = await contractIds(organization.id);
      const month = monthOf(now());
      return {
        organizationId: organization.id,
        contractOrganizationId: root.id,
        entitlements,
        accessEnded: accessEnd(entitlements, now()) ?? null,
        usage: {
          month,
          monthlyActiveUsers: await db.monthlyActiveUsers.count(ids, month),
          connections: await connectionsUsed(db, chain),
        },
      };
    },
  };
}
export type EntitlementsService = ReturnType<typeof createEntitlements>;
