import { z } from 'zod';
import { DEFAULT_RISK_THRESHOLDS, type RiskThresholds } from './risk-score.js';
import type { NetworkPolicy } from './risk-inputs.js';

/** Security policy `risk`: both thresholds are scores (sums of signal points), mfa_at below deny_at. */
export const riskThresholdsSchema = z
  .strictObject({
    mfa_at: z.number().int().min(0).max(1000).optional(),
    deny_at: z.number().int().min(1).max(1000).optional(),
  })
  .refine(
    (value) =>
      (value.mfa_at ?? DEFAULT_RISK_THRESHOLDS.mfa_at) < (value.deny_at ?? DEFAULT_RISK_THRESHOLDS.deny_at),
    'mfa_at must be lower than deny_at',
  );

/** The effective policy values the risk engine reads (security-policies.ts). */
export interface RiskPolicyValues {
  risk?: { mfa_at?: number | undefined; deny_at?: number | undefined } | undefined;
  ip_allowlist?: string[] | undefined;
  allowed_countries?: string[] | undefined;
}

export function riskThresholdsOf(values: RiskPolicyValues): RiskThresholds {
  return {
    mfa_at: values.risk?.mfa_at ?? DEFAULT_RISK_THRESHOLDS.mfa_at,
    deny_at: values.risk?.deny_at ?? DEFAULT_RISK_THRESHOLDS.deny_at,
  };
}

export function networkPolicyOf(values: RiskPolicyValues): NetworkPolicy {
  return { ipAllowlist: values.ip_allowlist, allowedCountries: values.allowed_countries };
}
