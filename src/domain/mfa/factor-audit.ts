import type { MfaFactorRecord } from '../ports/mfa.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { Actor, AuditEntry } from '../ports/tenancy.js';

/** A second factor as administrators and audit records see it: never a secret or a public key. */
export interface FactorView {
  id: string;
  userId: string;
  type: MfaFactorRecord['type'];
  label: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  lastUsedAt: Date | null;
}

export const factorView = (factor: MfaFactorRecord): FactorView => ({
  id: factor.id,
  userId: factor.userId,
  type: factor.type,
  label: factor.label,
  createdAt: factor.createdAt,
  confirmedAt: factor.confirmedAt,
  lastUsedAt: factor.lastUsedAt,
});

/** Every organization the user has a membership in, whatever its status. */
export const memberOrganizationIds = (repos: Repositories, userId: string): Promise<string[]> =>
  repos.memberships.organizationIdsOf(userId);

/**
 * A user's factors are account-wide, so a change to them concerns every organization the user
 * signs in to: one record per organization keeps each organization's audit log complete on its own.
 * A user with no organization still leaves one environment-wide record.
 */
export async function recordFactorChange(
  repos: Repositories,
  actor: Actor,
  organizationIds: readonly string[],
  entry: Omit<AuditEntry, 'actor' | 'organizationId'>,
): Promise<void> {
  const targets = organizationIds.length > 0 ? organizationIds : [null];
  await repos.audit.appendMany(targets.map((organizationId) => ({ ...entry, organizationId, actor })));
}

/** The user changed their own factors at sign-in: recorded for each of their organizations. */
export async function recordOwnFactorChange(
  repos: Repositories,
  userId: string,
  entry: Omit<AuditEntry, 'actor' | 'organizationId'>,
): Promise<void> {
  const organizationIds = await memberOrganizationIds(repos, userId);
  await recordFactorChange(repos, { type: 'user', id: userId }, organizationIds, entry);
}

/** What was being guessed when an account locked. */
export type LockedAttempt = 'password' | 'second_factor' | 'sign_in_code';

/** A lockout (too many wrong passwords or codes), recorded for each organization of the user. */
export function recordLockout(db: Database, userId: string, attempt: LockedAttempt): Promise<void> {
  return db.transaction(async (repos) => {
    const organizationIds = await memberOrganizationIds(repos, userId);
    await recordFactorChange(repos, { type: 'system', id: 'sign-in' }, organizationIds, {
      action: attempt === 'second_factor' ? 'mfa.locked' : 'login.locked',
      targetType: 'user',
      targetId: userId,
      before: null,
      after: { attempt },
    });
  });
}
