import type { OrganizationAccess } from '../organizations/organization-access.js';
import { allowedFactors, type MfaFactorKind } from './mfa-policy.js';

/** The `acr` of a sign-in that showed a second factor; applications ask for it with acr_values. */
export const MFA_ACR = 'urn:gatehouse:mfa';
/**
 * OpenID EAP ACR Values 1.0 `phr`: phishing-resistant authentication. Gatehouse reaches it with a
 * passkey or security key (WebAuthn signs for our origin, so a look-alike site gets nothing usable).
 */
export const PHISHING_RESISTANT_ACR = 'phr';
/** What discovery lists as `acr_values_supported`. */
export const SUPPORTED_ACR_VALUES = [MFA_ACR, PHISHING_RESISTANT_ACR];

/** How much of a second factor an application asked for. */
export type AssuranceLevel = 'mfa' | 'phishing_resistant';

/**
 * OIDC Core §3.1.2.1: acr_values lists acceptable values, any of which will do; so the weakest
 * level among those Gatehouse knows is the one owed.
 */
export function askedLevel(acrValues: readonly string[]): AssuranceLevel | undefined {
  if (acrValues.includes(MFA_ACR)) return 'mfa';
  if (acrValues.includes(PHISHING_RESISTANT_ACR)) return 'phishing_resistant';
  return undefined;
}

/** Whether a session whose sign-in reached `acr` meets the level (a higher one meets a lower). */
export function levelMet(acr: string | undefined, level: AssuranceLevel): boolean {
  if (level === 'phishing_resistant') return acr === PHISHING_RESISTANT_ACR;
  return acr === MFA_ACR || acr === PHISHING_RESISTANT_ACR;
}

/** RFC 8176 values only WebAuthn produces here (hwk: device-bound key, swk: synced passkey). */
export const provedPossessionOfKey = (amr: readonly string[]) => amr.includes('hwk') || amr.includes('swk');

/** The policy values a sign-in's MFA decision reads (see mfa-policy.ts). */
export interface MfaPolicyValues {
  mfa?: 'off' | 'optional' | 'required' | 'required_for_admins';
  mfa_factors?: string[];
  trust_upstream_mfa?: boolean;
}

export interface SignInMfaRequirement {
  /** A second factor must be shown before the sign-in finishes. */
  required: boolean;
  /** An upstream IdP's own MFA (its `amr`) counts as the second factor. */
  trustUpstream: boolean;
  /** The factor types every organization in play allows (`mfa_factors`; all when unset). */
  factors: MfaFactorKind[];
}

// RFC 8176 methods that are a second factor (or a phishing-resistant one) in themselves.
const MULTI_FACTOR_AMR = new Set(['mfa', 'otp', 'hwk', 'swk', 'sc', 'fpt', 'face', 'iris', 'retina']);

/**
 * Whether the methods an upstream IdP reported already meet the level. For phishing resistance
 * only `hwk` will do: a hardware key (FIDO2, smart card) proves possession bound to the IdP's
 * origin, where `swk` may be any software key and `otp` can be phished.
 */
export const upstreamReached = (amr: readonly string[], level: AssuranceLevel = 'mfa') =>
  level === 'phishing_resistant' ? amr.includes('hwk') : amr.some((method) => MULTI_FACTOR_AMR.has(method));

/**
 * What MFA a sign-in owes, by the policy of the organization it is for. When the organization is
 * not decided yet (the user will pick one), the strictest policy among the user's organizations
 * applies: picking the laxer one afterwards must not be a way around MFA.
 */
export function createSignInMfaRequirement(
  access: Pick<OrganizationAccess, 'forUser' | 'choicesFor'>,
  policyOf: (organizationId: string) => Promise<MfaPolicyValues>,
  requirementOf: (policy: MfaPolicyValues, user: { admin: boolean }) => 'off' | 'optional' | 'required',
) {
  return async (userId: string, organizationId: string | null | undefined): Promise<SignInMfaRequirement> => {
    const ids =
      organizationId === undefined
        ? (await access.choicesFor(userId)).map((choice) => choice.id)
        : organizationId === null
          ? []
          : [organizationId];
    let required = false;
    let trustUpstream = ids.length > 0;
    let factors = allowedFactors({});
    for (const id of ids) {
      const [policy, standing] = await Promise.all([policyOf(id), access.forUser(id, userId)]);
      required ||= requirementOf(policy, { admin: standing?.admin ?? false }) === 'required';
      // A partner's trust rule may ask for a second factor the target's own policy does not.
      required ||= standing?.partner?.requiresMfa === true;
      trustUpstream &&= policy.trust_upstream_mfa === true;
      const allowed = allowedFactors(policy);
      factors = factors.filter((kind) => allowed.includes(kind));
    }
    return { required, trustUpstream, factors };
  };
}
export type SignInMfaRequirementOf = ReturnType<typeof createSignInMfaRequirement>;
