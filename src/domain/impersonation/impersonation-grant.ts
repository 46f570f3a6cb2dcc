import { digestBearerToken } from '../../lib/crypto/bearer-token.js';
import { DomainError } from '../errors.js';
import type { ImpersonationRecord } from '../ports/impersonations.js';
import type { Database } from '../ports/repositories.js';
import { settleNow } from './impersonation-lifecycle.js';
import type { ImpersonationBounds } from './impersonation-scope.js';
import { impersonationEntry, operatorSubject } from './impersonation-view.js';

/** A started impersonation, as the token exchange and the browser session use it. */
export interface ImpersonationGrant extends ImpersonationBounds {
  id: string;
  organizationId: string;
  userId: string;
  /** The operator as the `act` claim's `sub` names them. */
  operator: string;
  /** What pages call the operator. */
  operatorName: string;
  reason: string;
  /** Nothing of this impersonation outlives it. */
  endsAt: Date;
}

/** Why a handle or ticket opens nothing; the message is fit for the operator's client. */
export class ImpersonationRefusal extends DomainError {}

const refusal = (message: string, code: string) => new ImpersonationRefusal(message, code);

/** Refuses whatever cannot be used now, by the reason the operator can act on. */
function checkUsable(record: ImpersonationRecord | undefined): ImpersonationRecord {
  if (!record) throw refusal('the impersonation handle is not valid', 'impersonation_unknown');
  switch (record.status) {
    case 'approved':
    case 'active':
      return record;
    case 'requested':
      throw refusal(
        'the impersonation is waiting for an organization admin’s approval',
        'impersonation_pending',
      );
    case 'denied':
      throw refusal('the impersonation was denied', 'impersonation_denied');
    default:
      throw refusal('the impersonation has ended', 'impersonation_ended');
  }
}

const grantOf = (record: ImpersonationRecord): ImpersonationGrant => ({
  id: record.id,
  organizationId: record.organizationId,
  userId: record.userId,
  operator: operatorSubject(record.operator),
  operatorName: record.operator.name,
  reason: record.reason,
  readOnly: record.readOnly,
  permissions: record.permissions,
  endsAt: record.endsAt!,
});

/**
 * Opens approved impersonations for use. The first use starts the clock (`endsAt` = now +
 * duration) and is recorded as `impersonation.start` in the same transaction; later uses see the
 * same end. The handle and the ticket are bearer secrets, looked up by digest (bearer-token.ts).
 */
export function createImpersonationGrants(db: Database, now: () => Date = () => new Date()) {
  const start = (record: ImpersonationRecord, at: Date) =>
    db.transaction(async (repos) => {
      const started = await repos.impersonations.transition(record.id, ['approved'], {
        status: 'active',
        startedAt: at,
        endsAt: new Date(at.getTime() + record.durationSeconds * 1000),
      });
      // Started (or revoked) by a concurrent use: whatever it is now decides.
      if (!started) return checkUsable(await repos.impersonations.find(record.id));
      await repos.audit.append(impersonationEntry(record.operator, 'impersonation.start', record, started));
      return started;
    });

  const use = async (found: ImpersonationRecord | undefined): Promise<ImpersonationGrant> => {
    const at = now();
    const record = checkUsable(found && (await settleNow(db, found, at)));
    const started = record.status === 'approved' ? checkUsable(await start(record, at)) : record;
    return grantOf(started);
  };

  return {
    /** The handle given to the operator at request time (token exchange). */
    redeem: async (handle: string) => use(await db.impersonations.findByHandle(digestBearerToken(handle))),
    /** A single-use browser ticket: gone after this call whatever it answers. */
    redeemTicket: async (ticket: string) =>
      use(await db.impersonations.takeTicket(digestBearerToken(ticket), now())),
    /** Whether tokens of the impersonation are still good: started, not revoked, not past its end. */
    async isLive(id: string): Promise<boolean> {
      const found = await db.impersonations.find(id);
      if (!found) return false;
      const record = await settleNow(db, found, now());
      return record.status === 'active' && record.endsAt !== null && now() < record.endsAt;
    },
  };
}
export type ImpersonationGrants = ReturnType<typeof createImpersonationGrants>;
