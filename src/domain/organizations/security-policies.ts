import { z } from 'zod';
import { isCidr } from '../../lib/cidr.js';
import { impersonationPolicySchema } from '../impersonation/impersonation-policy.js';
import { RuleViolationError } from '../errors.js';
import { riskThresholdsSchema } from '../risk/risk-policy.js';

/**
 * An organization's security policy values. Enforcement lives with each capability (MFA, sessions,
 * network rules); this module owns their shape and how sub-organizations inherit them.
 */
const DURATION = /^\d+(s|m|h|d)$/;
const duration = z.string().regex(DURATION, 'a duration such as 30m, 8h or 7d');

export const POLICY_KEYS = [
  'mfa',
  'mfa_factors',
  'trust_upstream_mfa',
  'session_timeout',
  'idle_timeout',
  'concurrent_sessions',
  'session_limit_action',
  'reauthentication_interval',
  'ip_allowlist',
  'magic_auth',
  'impersonation',
  'risk',
  'allowed_countries',
] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export const securityPoliciesSchema = z
  .object({
    mfa: z.enum(['off', 'optional', 'required', 'required_for_admins']).optional(),
    mfa_factors: z.array(z.enum(['totp', 'webauthn', 'email'])).optional(),
    trust_upstream_mfa: z.boolean().optional(),
    session_timeout: duration.optional(),
    idle_timeout: duration.optional(),
    concurrent_sessions: z.number().int().min(1).max(1000).optional(),
    /** At the limit: end the user's oldest session (default) or refuse the new sign-in. */
    session_limit_action: z.enum(['end_oldest', 'refuse']).optional(),
    /** After this long since the last sign-in the user signs in again, even within session_timeout. */
    reauthentication_interval: duration.optional(),
    ip_allowlist: z.array(z.string().refine(isCidr, 'a CIDR network such as 198.51.100.0/24')).optional(),
    /** Passwordless first factor: a one-time code mailed to the user's verified address (default off). */
    magic_auth: z.boolean().optional(),
    /** Support impersonation: whether operators may act as members, with whose approval, how long. */
    impersonation: impersonationPolicySchema.optional(),
    /** Risk-based sign-in (domain/risk): the score that asks for a second factor, and the one that refuses. */
    risk: riskThresholdsSchema.optional(),
    /** Geo-fencing: ISO 3166-1 alpha-2 countries sign-ins and token requests may come from. */
    allowed_countries: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as DE'))
      .min(1)
      .optional(),
    /** Keys sub-organizations may not override. */
    locked: z.array(z.enum(POLICY_KEYS)).optional(),
  })
  .strict();
export type SecurityPolicies = z.output<typeof securityPoliciesSchema>;

export interface EffectivePolicies {
  values: Partial<Omit<SecurityPolicies, 'locked'>>;
  /** Which organization each value comes from. */
  sources: Partial<Record<PolicyKey, string>>;
  /** Keys an ancestor locked: this organization can neither change nor unlock them. */
  lockedByAncestors: PolicyKey[];
}

type PolicyHolder = { id: string; securityPolicies: Record<string, unknown> };

/** Effective policies down a chain given nearest first (the organization itself at [0]). */
export function effectivePolicies(chain: readonly PolicyHolder[]): EffectivePolicies {
  const values: Record<string, unknown> = {};
  const sources: Partial<Record<PolicyKey, string>> = {};
  const locked = new Set<PolicyKey>();
  const lockedAbove = new Set<PolicyKey>();
  for (let depth = chain.length - 1; depth >= 0; depth -= 1) {
    const holder = chain[depth]!;
    const own = holder.securityPolicies as SecurityPolicies;
    if (depth === 0) for (const key of locked) lockedAbove.add(key);
    for (const key of POLICY_KEYS) {
      if (own[key] === undefined || locked.has(key)) continue;
      values[key] = own[key];
      sources[key] = holder.id;
    }
    for (const key of own.locked ?? []) locked.add(key);
  }
  return { values, sources, lockedByAncestors: [...lockedAbove] };
}

/** Refuses values for keys an ancestor locked (`ancestors` nearest first, without the organization). */
export function assertPoliciesAllowed(policies: SecurityPolicies, ancestors: readonly PolicyHolder[]): void {
  const { lockedByAncestors } = effectivePolicies([{ id: '', securityPolicies: {} }, ...ancestors]);
  for (const key of lockedByAncestors) {
    if (policies[key] !== undefined) {
      throw new RuleViolationError(
        `${key} is set by a parent organization that does not allow sub-organizations to override it`,
        'policy_locked',
        `security_policies.${key}`,
      );
    }
  }
}
