import type { EntitlementsReport } from './entitlements.js';
import { formatRate } from './rate.js';

/** The entitlements document the admin API and `gatehouse orgs entitlements --json` show. */
export function entitlementsView(report: EntitlementsReport) {
  const { entitlements, usage } = report;
  const rate = entitlements.quotas.apiRateLimit;
  return {
    organization_id: report.organizationId,
    contract_organization_id: report.contractOrganizationId,
    tier: entitlements.tier,
    features: entitlements.features,
    quotas: {
      monthly_active_users: entitlements.quotas.monthlyActiveUsers,
      connections: entitlements.quotas.connections,
      api_rate_limit: rate ? formatRate(rate) : null,
    },
    // The instant access ends (a date alone covers its whole day).
    trial_ends_at: entitlements.trialEndsAt?.toISOString() ?? null,
    contract_ends_at: entitlements.contractEndsAt?.toISOString() ?? null,
    access_ended: report.accessEnded,
    usage: {
      month: usage.month,
      monthly_active_users: usage.monthlyActiveUsers,
      connections: usage.connections,
    },
  };
}
export type EntitlementsView = ReturnType<typeof entitlementsView>;
