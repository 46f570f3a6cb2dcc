import { memberOrganizationIds, recordFactorChange, type LockedAttempt } from '../mfa/factor-audit.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { Actor } from '../ports/tenancy.js';

/** A finished sign-in: every factor passed, the interaction goes back to the application. */
export interface SignInSucceeded {
  userId: string;
  clientId: string;
  /** The organization the sign-in settled, when it did; otherwise each of the user's organizations records it. */
  organizationId?: string | null;
  /** RFC 8176 methods, e.g. ['pwd', 'otp']; the upstream connection for a federated sign-in. */
  amr: readonly string[];
  acr?: string | undefined;
  connectionId?: string | null;
  ip?: string | undefined;
  /** The sign-in's risk assessment (`gatehouse explain-login <id>`). */
  riskAssessmentId?: string | undefined;
}

/**
 * Why a sign-in was refused, as a stable code: invalid_credentials (password or unknown email),
 * invalid_second_factor, invalid_sign_in_code, upstream_rejected (the IdP's answer failed a
 * check), provisioning_refused, pending_approval.
 */
export type SignInFailureReason =
  | 'invalid_credentials'
  | 'invalid_second_factor'
  | 'invalid_sign_in_code'
  | 'upstream_rejected'
  | 'provisioning_refused'
  | 'pending_approval';

export interface SignInFailed {
  reason: SignInFailureReason;
  /** The user, when the attempt named one that exists. */
  userId?: string | undefined;
  /** The email typed, when no user has it. */
  email?: string | undefined;
  /** The organization the attempt was for (a connection's), when known. */
  organizationId?: string | undefined;
  connectionId?: string | undefined;
  /** A finer code (the upstream check that failed, the provisioning rule). */
  detail?: string | undefined;
  ip?: string | undefined;
}

/** A token response: which client, for whom, by which grant; never a token or a code. */
export interface TokenIssued {
  clientId: string;
  grantType: string;
  userId?: string | undefined;
  organizationId?: string | undefined;
  grantId?: string | undefined;
  scope?: string | undefined;
  /** Which tokens the response carried: access_token, id_token, refresh_token. */
  tokens: readonly string[];
}

/** A wrong password or code, as the sign-in pages count it (http/sign-in-attempts.ts). */
export interface FailedAttempt {
  kind: LockedAttempt;
  /** `email:<normalised>` before the user is known, `user:<id>` after. */
  account: string;
  userId?: string | undefined;
  ip?: string | undefined;
}

const ATTEMPT_REASONS: Record<LockedAttempt, SignInFailureReason> = {
  password: 'invalid_credentials',
  second_factor: 'invalid_second_factor',
  sign_in_code: 'invalid_sign_in_code',
};

const SIGN_IN: Actor = { type: 'system', id: 'sign-in' };
const MAX_EMAIL = 254;

/** Who the attempt was for: the user, else the email typed, else the connection it came through. */
function failureTarget(event: SignInFailed) {
  if (event.userId) return { targetType: 'user', targetId: event.userId };
  if (event.email) return { targetType: 'email', targetId: event.email.slice(0, MAX_EMAIL) };
  return { targetType: 'connection', targetId: event.connectionId ?? 'unknown' };
}

const withoutUndefined = (value: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined));

/** The organization a failure concerns; null when it names a connection that does not exist. */
async function failureOrganizations(repos: Repositories, event: SignInFailed): Promise<string[] | null> {
  if (event.organizationId) return [event.organizationId];
  if (event.connectionId) {
    const connection = await repos.connections.findById(event.connectionId);
    return connection ? [connection.organizationId] : null;
  }
  return event.userId ? memberOrganizationIds(repos, event.userId) : [];
}

// Sign-ins read what they need, then append outside any transaction: the records go with other
// sign-ins' and token issues' (audit-append-batcher.ts), and a transaction would only add its
// round trips, since an append is atomic on its own.
const recordFailure = async (db: Database, event: SignInFailed): Promise<void> => {
  const organizationIds = await failureOrganizations(db, event);
  // An address naming no connection is not an attempt at anyone's IdP (scanners): no record.
  if (!organizationIds) return;
  await recordFactorChange(db, SIGN_IN, organizationIds, {
    action: 'login.failed',
    ...failureTarget(event),
    before: null,
    after: withoutUndefined({
      reason: event.reason,
      detail: event.detail,
      connection_id: event.connectionId,
      ip: event.ip,
    }),
  });
};

const recordSuccess = async (db: Database, event: SignInSucceeded): Promise<void> => {
  const organizationIds = event.organizationId
    ? [event.organizationId]
    : await memberOrganizationIds(db, event.userId);
  await recordFactorChange(db, { type: 'user', id: event.userId }, organizationIds, {
    action: 'login.succeeded',
    targetType: 'user',
    targetId: event.userId,
    before: null,
    after: withoutUndefined({
      client_id: event.clientId,
      amr: [...event.amr],
      acr: event.acr,
      connection_id: event.connectionId ?? undefined,
      ip: event.ip,
      risk_assessment_id: event.riskAssessmentId,
    }),
  });
};

// Appended as the response goes out, and nobody waits for it: it may go with later records.
const recordTokenIssue = (db: Database, event: TokenIssued): Promise<void> =>
  db.audit.appendLater({
    organizationId: event.organizationId ?? null,
    actor: event.userId ? { type: 'user', id: event.userId } : { type: 'client', id: event.clientId },
    action: 'token.issue',
    // The grant the tokens speak for (what a revocation ends); client credentials have none.
    targetType: 'token',
    targetId: event.grantId ?? event.clientId,
    before: null,
    after: withoutUndefined({
      grant_type: event.grantType,
      client_id: event.clientId,
      user_id: event.userId,
      grant_id: event.grantId,
      scope: event.scope,
      issued: [...event.tokens],
    }),
  });

/**
 * Sign-ins and token issues in the audit log. A user's sign-in concerns each organization they
 * belong to unless it settled one (like factor changes: each organization's log is complete on
 * its own); a refused attempt for an email nobody has goes to the platform chain.
 */
export function createSignInAudit(db: Database) {
  return {
    succeeded: (event: SignInSucceeded) => recordSuccess(db, event),
    failed: (event: SignInFailed) => recordFailure(db, event),
    attemptFailed(attempt: FailedAttempt): Promise<void> {
      const email = attempt.account.startsWith('email:') ? attempt.account.slice('email:'.length) : undefined;
      return recordFailure(db, {
        reason: ATTEMPT_REASONS[attempt.kind],
        userId: attempt.userId,
        email,
        ip: attempt.ip,
      });
    },
    tokenIssued: (event: TokenIssued) => recordTokenIssue(db, event),
  };
}
export type SignInAudit = ReturnType<typeof createSignInAudit>;
