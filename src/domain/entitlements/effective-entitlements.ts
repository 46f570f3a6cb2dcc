import type { OrganizationPlan } from '../ports/tenancy.js';
import { parseRate } from './rate.js';
import { FEATURES, TIER_DEFAULTS, TIERS, type Feature, type Quotas, type Tier } from './tiers.js';

/** Why an organization's access has ended (its sign-ins refused, its tokens inactive). */
export type AccessEnd = 'trial_ended' | 'contract_ended';

export interface Entitlements {
  /** null: no plan, so every feature is on and no quota applies (deployments before plans). */
  tier: Tier | null;
  features: Record<Feature, boolean>;
  quotas: Quotas;
  trialEndsAt: Date | null;
  contractEndsAt: Date | null;
}

const ALL_FEATURES = Object.fromEntries(FEATURES.map((feature) => [feature, true])) as Record<
  Feature,
  boolean
>;
export const UNLIMITED: Entitlements = {
  tier: null,
  features: ALL_FEATURES,
  quotas: { monthlyActiveUsers: null, connections: null, apiRateLimit: null },
  trialEndsAt: null,
  contractEndsAt: null,
};

const DAY_MS = 86_400_000;

/**
 * A date alone (`2027-01-31`) covers that whole day (UTC): access ends when the next day starts.
 * A date-time ends access at that instant.
 */
export function endOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? at + DAY_MS : at);
}

const quotaOf = (value: number | null | undefined, fallback: number | null) =>
  value === undefined ? fallback : value;

/** The tier's defaults with the plan's overrides. The stored plan was checked when it was written. */
export function entitlementsOf(plan: OrganizationPlan | undefined): Entitlements {
  const tier = plan?.tier as Tier | undefined;
  if (!plan || !tier || !(TIERS as readonly string[]).includes(tier)) return UNLIMITED;
  const defaults = TIER_DEFAULTS[tier];
  const features = { ...defaults.features };
  for (const feature of FEATURES) {
    const override = plan.features?.[feature];
    if (typeof override === 'boolean') features[feature] = override;
  }
  const rate = plan.api_rate_limit;
  return {
    tier,
    features,
    quotas: {
      monthlyActiveUsers: quotaOf(plan.monthly_active_users, defaults.quotas.monthlyActiveUsers),
      connections: quotaOf(plan.connections, defaults.quotas.connections),
      apiRateLimit:
        rate === undefined ? defaults.quotas.apiRateLimit : rate === null ? null : (parseRate(rate) ?? null),
    },
    trialEndsAt: endOf(plan.trial_ends_at),
    contractEndsAt: endOf(plan.contract_ends_at),
  };
}

/** Whether the trial or the contract is over at `now` (the earlier end wins). */
export function accessEnd(entitlements: Entitlements, now: Date): AccessEnd | undefined {
  if (entitlements.contractEndsAt && entitlements.contractEndsAt <= now) return 'contract_ended';
  if (entitlements.trialEndsAt && entitlements.trialEndsAt <= now) return 'trial_ended';
  return undefined;
}

/** Entitlements are per contract: a sub-organization has its root's plan. */
export const contractPlan = <T extends { plan?: OrganizationPlan | undefined }>(chain: readonly T[]) =>
  chain[chain.length - 1]?.plan;

/** The calendar month (UTC) monthly active users are counted in: `2026-11`. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);
