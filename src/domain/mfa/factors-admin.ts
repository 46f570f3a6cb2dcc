import { accountSubjectsOf, type SignInThrottle } from '../accounts/sign-in-throttle.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleIds, visibleUser, withinScope } from '../organizations/tenancy-scope.js';
import { factorView, memberOrganizationIds, recordFactorChange, type FactorView } from './factor-audit.js';

/** What an administrator sees of a user's second factors. */
export interface UserFactors {
  userId: string;
  factors: FactorView[];
  recoveryCodesRemaining: number;
}

/** The user's factors (confirmed or not) and how many recovery codes are left unused. */
export async function factorsOf(repos: Repositories, userId: string): Promise<UserFactors> {
  // One query at a time: inside a transaction the repositories share one connection.
  const factors = (await repos.mfaFactors.listFor(userId)).map(factorView);
  return { userId, factors, recoveryCodesRemaining: await repos.recoveryCodes.countUnused(userId) };
}

/**
 * The user whose factors the principal may change, and the organizations whose audit logs record
 * it. Factors guard the whole account: removing one weakens sign-in to every organization of the
 * user, so a delegated admin may do it only when all of them lie in its subtree.
 */
async function writableUser(repos: Repositories, principal: AdminPrincipal, userRef: string) {
  const user = await visibleUser(repos, principal, userRef);
  const organizationIds = await memberOrganizationIds(repos, user.id);
  const ids = await visibleIds(repos, principal);
  if (organizationIds.some((id) => !withinScope(ids, id))) {
    throw new ForbiddenError(
      "the user also belongs to organizations outside this API key's scope; only an environment admin may change their second factors",
    );
  }
  return { user, organizationIds };
}

/**
 * Administrators list and reset users' second factors, e.g. for a user who lost their phone and
 * their recovery codes. After a reset the user enrols again at the next sign-in that requires it.
 */
export function createFactorsAdmin(db: Database, deps: { throttle?: Pick<SignInThrottle, 'unlock'> } = {}) {
  return {
    async list(principal: AdminPrincipal, userRef: string): Promise<UserFactors> {
      const user = await visibleUser(db, principal, userRef);
      return factorsOf(db, user.id);
    },

    remove(principal: AdminPrincipal, userRef: string, factorId: string): Promise<void> {
      return db.transaction(async (repos) => {
        const { user, organizationIds } = await writableUser(repos, principal, userRef);
        const factor = await repos.mfaFactors.find(factorId);
        if (!factor || factor.userId !== user.id) throw new NotFoundError(`factor ${factorId}`);
        await repos.mfaFactors.delete(factor.id);
        await recordFactorChange(repos, principal.actor, organizationIds, {
          action: 'mfa.factor_remove',
          targetType: 'mfa_factor',
          targetId: factor.id,
          before: factorView(factor),
          after: null,
        });
      });
    },

    /** Deletes every factor and recovery code of the user. */
    reset(principal: AdminPrincipal, userRef: string): Promise<void> {
      return db.transaction(async (repos) => {
        const { user, organizationIds } = await writableUser(repos, principal, userRef);
        const before = await factorsOf(repos, user.id);
        for (const factor of before.factors) await repos.mfaFactors.delete(factor.id);
        await repos.recoveryCodes.replaceFor(user.id, []);
        await recordFactorChange(repos, principal.actor, organizationIds, {
          action: 'mfa.reset',
          targetType: 'user',
          targetId: user.id,
          before,
          after: { userId: user.id, factors: [], recoveryCodesRemaining: 0 },
        });
      });
    },

    /**
     * Lifts the wait that wrong passwords or codes put on the account (sign-in-throttle.ts), e.g.
     * once the help desk has confirmed the owner. Recorded like a factor change.
     */
    async unlock(principal: AdminPrincipal, userRef: string): Promise<void> {
      const throttle = deps.throttle;
      if (!throttle) throw new Error('unlocking needs the shared store');
      const user = await db.transaction(async (repos) => {
        const { user, organizationIds } = await writableUser(repos, principal, userRef);
        await recordFactorChange(repos, principal.actor, organizationIds, {
          action: 'user.unlock',
          targetType: 'user',
          targetId: user.id,
          before: null,
          after: null,
        });
        return user;
      });
      await throttle.unlock(accountSubjectsOf(user));
    },
  };
}
export type FactorsAdmin = ReturnType<typeof createFactorsAdmin>;
