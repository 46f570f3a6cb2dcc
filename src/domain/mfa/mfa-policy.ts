import { NotFoundError } from '../errors.js';
import { effectivePolicies, type SecurityPolicies } from '../organizations/security-policies.js';
import type { Database } from '../ports/repositories.js';

export type MfaRequirement = 'off' | 'optional' | 'required';
export type MfaFactorKind = 'totp' | 'webauthn' | 'email';
/** The MFA part of an organization's security policy. */
export type MfaPolicy = Pick<SecurityPolicies, 'mfa' | 'mfa_factors' | 'trust_upstream_mfa'>;

const ALL_FACTORS: readonly MfaFactorKind[] = ['totp', 'webauthn', 'email'];

/**
 * What an organization's effective security policy asks of this sign-in: `required_for_admins`
 * counts when the user holds a role flagged admin.
 * Where nothing forces MFA (no policy, or `required_for_admins` for a non-admin) the answer is
 * `optional`: a user who enrolled a factor of their own accord is still asked for it. Only an
 * explicit `off` skips factors the user has.
 */
export function mfaRequirement(policy: Pick<MfaPolicy, 'mfa'>, user: { admin: boolean }): MfaRequirement {
  switch (policy.mfa) {
    case 'off':
      return 'off';
    case 'required':
      return 'required';
    case 'required_for_admins':
      return user.admin ? 'required' : 'optional';
    default:
      return 'optional';
  }
}

/** The factor types the policy allows (default all of totp, webauthn, email; `mfa_factors`). */
export function allowedFactors(policy: { mfa_factors?: string[] }): MfaFactorKind[] {
  if (policy.mfa_factors === undefined) return [...ALL_FACTORS];
  const listed = new Set(policy.mfa_factors);
  return ALL_FACTORS.filter((kind) => listed.has(kind));
}

/** Reads organizations' effective MFA policy: inherited from ancestors, their locked keys winning. */
export function createMfaPolicy(db: Database) {
  return {
    async forOrganization(organizationId: string): Promise<MfaPolicy> {
      const chain = await db.organizations.chain(organizationId);
      if (chain.length === 0) throw new NotFoundError(`organization ${organizationId}`);
      const { values } = effectivePolicies(chain);
      const policy: MfaPolicy = {};
      if (values.mfa !== undefined) policy.mfa = values.mfa;
      if (values.mfa_factors !== undefined) policy.mfa_factors = values.mfa_factors;
      if (values.trust_upstream_mfa !== undefined) policy.trust_upstream_mfa = values.trust_upstream_mfa;
      return policy;
    },
  };
}
