import { ForbiddenError, NotFoundError } from '../errors.js';
import type { MfaFactorRecord } from '../ports/mfa.js';
import type { Database } from '../ports/repositories.js';
import { factorView, recordOwnFactorChange, type FactorView } from './factor-audit.js';
import { factorsOf, type UserFactors } from './factors-admin.js';

export interface FactorSelfServiceDeps {
  /** What the user's organizations require; `undefined` asks for the strictest of them all. */
  requirement(userId: string, organizationId: undefined): Promise<{ required: boolean }>;
  recoveryCodes: { generate(userId: string): Promise<string[]> };
}

export const LAST_FACTOR_REFUSAL =
  'This is your last authenticator app or passkey, and an organization you belong to requires two-step verification. Add another one before you remove this one.';

/** A factor that signs the user in on its own: email codes are not one the user can remove. */
const usable = (factor: MfaFactorRecord) =>
  factor.confirmedAt !== null && (factor.type === 'totp' || factor.type === 'webauthn');

/**
 * The user's own view of their second factors (the account security page): list them, remove
 * one, make new recovery codes. Unconfirmed enrolments are left out: the user never finished them
 * and the next enrolment clears them (totp-factors.ts).
 */
export function createFactorSelfService(db: Database, deps: FactorSelfServiceDeps) {
  return {
    async list(userId: string): Promise<UserFactors> {
      const all = await factorsOf(db, userId);
      return { ...all, factors: all.factors.filter((factor) => factor.confirmedAt !== null) };
    },

    /**
     * Removes one of the user's factors. Refused when it is the last usable one while any of the
     * user's organizations requires MFA: the strictest policy applies because the factor guards
     * sign-in to all of them (sign-in-requirement.ts). Recovery codes do not count as a factor
     * left: they run out, and they are the way back in, not a way to sign in every day.
     */
    async remove(userId: string, factorId: string): Promise<FactorView> {
      const { required } = await deps.requirement(userId, undefined);
      // One removal at a time per user, across processes: two requests removing the last two
      // factors at once would each see the other's factor left, and leave none.
      return db.withLock(`mfa-factors:${userId}`, async (repos) => {
        const factors = await repos.mfaFactors.listFor(userId);
        const factor = factors.find((candidate) => candidate.id === factorId);
        // Another user's factor looks the same as none at all.
        if (!factor) throw new NotFoundError(`factor ${factorId}`);
        const othersLeft = factors.some((other) => other.id !== factor.id && usable(other));
        if (required && usable(factor) && !othersLeft) throw new ForbiddenError(LAST_FACTOR_REFUSAL);
        await repos.mfaFactors.delete(factor.id);
        await recordOwnFactorChange(repos, userId, {
          action: 'mfa.factor_remove',
          targetType: 'mfa_factor',
          targetId: factor.id,
          before: factorView(factor),
          after: null,
        });
        return factorView(factor);
      });
    },

    /** 10 new recovery codes replacing the old ones; recovery-codes.ts records it in the audit log. */
    regenerateRecoveryCodes(userId: string): Promise<string[]> {
      return deps.recoveryCodes.generate(userId);
    },
  };
}
export type FactorSelfService = ReturnType<typeof createFactorSelfService>;
