import type { AuditEntry, AuditRepository } from '../ports/tenancy.js';
import type { ActorClaim } from './actor-claim.js';

/** One completed token exchange, as the audit log keeps it: who asked, for whom, for what. Never a token. */
export interface ExchangeRecord {
  clientId: string;
  userId: string;
  organizationId: string | null;
  /** The client the subject token was issued to; absent for an impersonation handle. */
  subjectClientId?: string | undefined;
  act?: ActorClaim | undefined;
  impersonationId?: string | undefined;
  audience: string;
  scopes: string[];
  permissions: string[];
  expiresAt?: Date | undefined;
}

/**
 * Every exchange leaves a `token.exchange` record (RFC 8693 tokens act for a user without the user
 * present, so who obtained what is worth keeping); a support impersonation's token also leaves an
 * `impersonation.token_issued` record in the impersonation's own trail, both in one statement,
 * written before the token is handed out (privileged access). Any other exchange is a token issue
 * like the token endpoint's others, and its record goes the same way: nobody waits for it, it goes
 * with the next records written or a few milliseconds later, and a failure to write it reaches
 * `lateFailure`.
 */
export function createExchangeAudit(
  audit: Pick<AuditRepository, 'appendMany' | 'appendLater'>,
  lateFailure: (error: unknown) => void,
) {
  return async (record: ExchangeRecord): Promise<void> => {
    const issued = {
      client_id: record.clientId,
      sub: record.userId,
      ...(record.subjectClientId ? { subject_client_id: record.subjectClientId } : {}),
      ...(record.act ? { act: record.act } : {}),
      ...(record.impersonationId ? { impersonation_id: record.impersonationId } : {}),
      aud: record.audience,
      scope: record.scopes,
      permissions: record.permissions,
      ...(record.expiresAt ? { expires_at: record.expiresAt.toISOString() } : {}),
    };
    const actor = { type: 'client', id: record.clientId } as const;
    const exchanged: AuditEntry = {
      organizationId: record.organizationId,
      actor,
      action: 'token.exchange',
      targetType: 'user',
      targetId: record.userId,
      before: null,
      after: issued,
    };
    if (!record.impersonationId) {
      audit.appendLater(exchanged).catch(lateFailure);
      return;
    }
    await audit.appendMany([
      exchanged,
      {
        organizationId: record.organizationId,
        actor,
        action: 'impersonation.token_issued',
        targetType: 'impersonation',
        targetId: record.impersonationId,
        before: null,
        after: issued,
      },
    ]);
  };
}
export type ExchangeAudit = ReturnType<typeof createExchangeAudit>;
