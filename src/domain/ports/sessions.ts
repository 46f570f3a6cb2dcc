/**
 * Gatehouse's view of its browser sessions (oidc-provider's Session model keeps the protocol
 * state; this keeps what policy, operators and logout need to know about each one). Shared by
 * every instance through the ephemeral store (Redis in production).
 */
import type { Actor } from './tenancy.js';

/** The upstream IdP's own session, when the sign-in came through a SAML connection (for SLO). */
export interface UpstreamSession {
  connectionId: string;
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

/** A support operator acting as the user (privileged access, see domain/impersonation). */
export interface SessionImpersonation {
  impersonationId: string;
  /** Who acts: the RFC 8693 `act` claim's `sub`. */
  actorId: string;
  /** Permissions the session may use; empty means read-only. */
  permissions: string[];
  readOnly: boolean;
  expiresAt: Date;
}

/** The timeouts a session runs under after it started, settled by its organization's policy. */
export interface SessionTimeouts {
  /** Ends the session after this long without activity; null: no idle timeout. */
  idleTimeoutSeconds: number | null;
  /** After this long since the last sign-in the user signs in again; null: only at expiry. */
  reauthenticationSeconds: number | null;
}

export interface SessionRecord {
  /** oidc-provider's session `uid`: stable across re-authentication of the same session. */
  id: string;
  userId: string;
  /** The organization the sign-in was for, when one was decided. */
  organizationId: string | null;
  /** The upstream connection the user signed in through; null for a local sign-in. */
  connectionId: string | null;
  upstream: UpstreamSession | null;
  impersonation: SessionImpersonation | null;
  amr: string[];
  createdAt: Date;
  lastSeenAt: Date;
  /** When the absolute lifetime ends (the idle timeout may end it sooner). */
  expiresAt: Date;
  /** When the user last proved who they are in this session (its sign-in or a later one). */
  authenticatedAt: Date;
  timeouts: SessionTimeouts;
  ip: string | null;
  userAgent: string | null;
}

export type SessionEndReason =
  | 'logout'
  | 'revoked'
  | 'limit'
  | 'idle'
  | 'expired'
  | 'upstream_logout'
  | 'access_ended'
  | 'impersonation_ended';

export interface SessionFilter {
  organizationId?: string | undefined;
  connectionId?: string | undefined;
}

/** Reads and ends sessions; ending one also ends its grants (refresh tokens) and tells the RPs. */
export interface Sessions {
  get(id: string): Promise<SessionRecord | undefined>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  listForOrganization(organizationId: string): Promise<SessionRecord[]>;
  /** True when a live session was ended. `actor`: who ended it (the system when absent). */
  end(id: string, reason: SessionEndReason, actor?: Actor): Promise<boolean>;
  /** Ends every live session of the user matching the filter; returns how many. */
  endForUser(userId: string, filter: SessionFilter, reason: SessionEndReason, actor?: Actor): Promise<number>;
  /** Ends every live session whose sign-in was for the organization; returns how many. */
  endForOrganization(organizationId: string, reason: SessionEndReason, actor?: Actor): Promise<number>;
}

/** What happens to a sign-in beyond a user's concurrent-session limit. */
export type SessionLimitAction = 'end_oldest' | 'refuse';

export interface SessionLimit {
  max: number;
  action: SessionLimitAction;
}

/**
 * A sign-in that proved who the user is, waiting for oidc-provider to save the browser session
 * it logs in (the session's uid is known only then). Keyed by the interaction's uid; it holds a
 * place under the user's session limit meanwhile.
 */
export interface SessionReservation {
  /** The interaction uid. */
  key: string;
  userId: string;
  organizationId: string | null;
  connectionId: string | null;
  upstream: UpstreamSession | null;
  impersonation: SessionImpersonation | null;
  amr: string[];
  /** When the sign-in proved the user (the session's start, unless it re-authenticates one). */
  at: Date;
  /** The absolute lifetime the policy gives a session started now. */
  lifetimeSeconds: number;
  timeouts: SessionTimeouts;
  ip: string | null;
  userAgent: string | null;
}

/** Whether a sign-in fits under the limit, and which sessions made room for it. */
export type Admission = { admitted: true; evicted: string[] } | { admitted: false; live: number };

/**
 * Storage of session records, shared by every instance. Each method is atomic across processes:
 * two sign-ins racing on two instances never both take the last place under a limit.
 */
export interface SessionRegistry {
  /**
   * Admits a sign-in under the limit: counts the user's live sessions and reservations; at the
   * limit it refuses (`refuse`) or takes the oldest out of the count and names them (`end_oldest`,
   * the caller ends them). Admitted, the reservation holds its place for `ttlMs`. A null limit
   * (the sign-in re-authenticates a live session of the user) keeps the reservation only.
   */
  reserve(reservation: SessionReservation, limit: SessionLimit | null, ttlMs: number): Promise<Admission>;
  findReservation(key: string): Promise<SessionReservation | undefined>;
  /**
   * Turns the reservation into the session's record (same place under the limit), or, when
   * the session already has a record, replaces that. False, writing nothing, when the
   * reservation lost its place meanwhile (ended as the oldest by a later sign-in).
   */
  bind(key: string, record: SessionRecord, ttlMs: number): Promise<boolean>;
  /** Applies the limit to a live session again (its organization changed), as `reserve` does. */
  admit(userId: string, id: string, limit: SessionLimit): Promise<Admission>;
  /** Replaces a live session's record (organization, timeouts); false when it is gone. */
  update(record: SessionRecord, ttlMs: number): Promise<boolean>;
  /** Records activity and extends the record's life to `ttlMs`; false when it is gone. */
  touch(id: string, at: Date, ttlMs: number): Promise<boolean>;
  get(id: string): Promise<SessionRecord | undefined>;
  listForUser(userId: string): Promise<SessionRecord[]>;
  listForOrganization(organizationId: string): Promise<SessionRecord[]>;
  /** Removes the record and its places; the record when there was one (once across processes). */
  remove(id: string): Promise<SessionRecord | undefined>;
}

/** One back-channel logout to send (OIDC Back-Channel Logout 1.0), retried until it lands. */
export interface BackchannelLogout {
  id: string;
  clientId: string;
  /** The account (oidc-provider's `accountId`, the `sub` before any pairwise mapping). */
  accountId: string;
  /** The session's `sid` for this client; null when a grant ended outside any session. */
  sid: string | null;
  /** Attempts made so far. */
  attempts: number;
}

/** Logouts waiting to be sent, shared by every instance; a claimed one is leased to one process. */
export interface LogoutQueue {
  enqueue(logout: BackchannelLogout, dueAt: Date): Promise<void>;
  /** Up to `limit` logouts due at `now`, each hidden from other claims until `leaseUntil`. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<BackchannelLogout[]>;
  /** Sent, or given up: gone from the queue. */
  complete(id: string): Promise<void>;
}

/** The protocol side of a session (oidc-provider's state), which domain/sessions ends. */
export interface SessionProtocol {
  /**
   * Destroys the browser session `id` (its uid), revokes every grant it holds (refresh and access
   * tokens, codes) and queues a back-channel logout for each application in it. False when there
   * was no such session.
   */
  end(id: string): Promise<boolean>;
}
