import type { ImpersonationRecord } from '../ports/impersonations.js';
import type { Database } from '../ports/repositories.js';
import type { SessionImpersonation, Sessions } from '../ports/sessions.js';
import type { ImpersonationGrant } from './impersonation-grant.js';
import { settleNow } from './impersonation-lifecycle.js';
import { impersonationEntry } from './impersonation-view.js';

/**
 * A browser session as the user (support access in the hosted pages): what the session registry
 * keeps (`SessionRecord.impersonation`), so that the session ends with the impersonation and the
 * tokens applications get from it carry `act` and no more than the approval.
 */
export function sessionImpersonationOf(grant: ImpersonationGrant): SessionImpersonation {
  return {
    impersonationId: grant.id,
    actorId: grant.operator,
    permissions: grant.readOnly ? [] : [...grant.permissions],
    readOnly: grant.readOnly,
    expiresAt: grant.endsAt,
  };
}

/** What every hosted page of the session says (views/partials/support-banner.eta). */
export interface SupportBanner {
  operatorName: string;
  /** The user's email (or id, should the account be gone). */
  user: string;
  until: Date;
  reason: string;
}

const live = (record: ImpersonationRecord, now: Date) =>
  record.status === 'active' && record.endsAt !== null && now < record.endsAt;

export function createSupportSessions(db: Database, now: () => Date = () => new Date()) {
  return {
    /** The banner of a live impersonation; undefined once it is over (revoked, ended). */
    async banner(impersonationId: string): Promise<SupportBanner | undefined> {
      const found = await db.impersonations.find(impersonationId);
      const record = found && (await settleNow(db, found, now()));
      if (!record || !live(record, now())) return undefined;
      const user = await db.users.findById(record.userId);
      return {
        operatorName: record.operator.name,
        user: user?.email ?? record.userId,
        until: record.endsAt!,
        reason: record.reason,
      };
    },

    /** Records that the operator signed a browser in as the user, for an application. */
    async signedIn(grant: ImpersonationGrant, clientId: string): Promise<void> {
      const record = await db.impersonations.find(grant.id);
      if (!record) return;
      await db.audit.append({
        ...impersonationEntry(record.operator, 'impersonation.session_start', null, record),
        after: { impersonation: grant.id, client_id: clientId, user_id: grant.userId, ends_at: grant.endsAt },
      });
    },
  };
}
export type SupportSessions = ReturnType<typeof createSupportSessions>;

/** Ends the browser sessions signed in under an impersonation (on its revocation). */
export async function endSupportSessions(
  sessions: Pick<Sessions, 'listForUser' | 'end'>,
  record: ImpersonationRecord,
): Promise<void> {
  for (const session of await sessions.listForUser(record.userId)) {
    if (session.impersonation?.impersonationId === record.id)
      await sessions.end(session.id, 'impersonation_ended');
  }
}
