import type { Rate } from './rate.js';

export const FEATURES = ['sso', 'scim', 'custom_domain', 'impersonation'] as const;
export type Feature = (typeof FEATURES)[number];

export const TIERS = ['basic', 'pro', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

/** A quota of null is unlimited. */
export interface Quotas {
  monthlyActiveUsers: number | null;
  connections: number | null;
  apiRateLimit: Rate | null;
}

export interface TierDefaults {
  features: Record<Feature, boolean>;
  quotas: Quotas;
}

/**
 * What each tier includes before the plan's own overrides (README "Plans and entitlements").
 * basic: local accounts with passwords and MFA, no enterprise SSO; pro: SSO and SCIM directory
 * sync; enterprise: everything, custom domains and support impersonation included.
 */
export const TIER_DEFAULTS: Record<Tier, TierDefaults> = {
  basic: {
    features: { sso: false, scim: false, custom_domain: false, impersonation: false },
    quotas: { monthlyActiveUsers: 1000, connections: 0, apiRateLimit: { limit: 10, windowSeconds: 1 } },
  },
  pro: {
    features: { sso: true, scim: true, custom_domain: false, impersonation: false },
    quotas: { monthlyActiveUsers: 10000, connections: 3, apiRateLimit: { limit: 50, windowSeconds: 1 } },
  },
  enterprise: {
    features: { sso: true, scim: true, custom_domain: true, impersonation: true },
    quotas: { monthlyActiveUsers: null, connections: null, apiRateLimit: { limit: 200, windowSeconds: 1 } },
  },
};
