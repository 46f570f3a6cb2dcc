import { randomBytes } from 'node:crypto';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';

/** An upstream sign-in under way: what the IdP's answer must match. */
export interface PendingUpstream {
  /** The Gatehouse interaction the sign-in belongs to. */
  uid: string;
  connectionId: string;
  /** OIDC: the values openid-client checks on the callback. */
  oidc?: { state: string; nonce: string; codeVerifier: string };
  /** SAML: the AuthnRequest id the response must answer. */
  samlRequestId?: string;
  /**
   * A portal "test connection": the answer is checked in full, then shown to the organization's
   * administrator instead of signing anyone in (`uid` is empty). Only such a sign-in may go
   * through a connection that is not enabled yet.
   */
  test?: boolean;
}

/**
 * A verified upstream answer waiting for the browser to come back to its interaction: the one
 * that started the sign-in (`uid`), or, for an IdP-initiated SAML sign-in, the next interaction
 * of the application the connection lands in (`clientId`).
 */
export type SignInTicket =
  { uid: string; identity: UpstreamIdentity } | { uid: null; clientId: string; identity: UpstreamIdentity };

// A person may take a while at their IdP (MFA, password reset); the ticket is only a redirect hop.
const PENDING_TTL_SECONDS = 15 * 60;
const TICKET_TTL_SECONDS = 120;

/**
 * Single-use records (the store's take) bridging the hops of an upstream sign-in. The IdP's
 * callback cannot see the interaction cookie (its path is /interaction/<uid>), so the callback
 * verifies the answer and leaves a ticket; the browser then returns to its interaction, where
 * the cookie proves it is the same browser that started the sign-in (no login CSRF).
 */
export function createSignInTickets(store: EphemeralStore) {
  const read = <T>(value: string | undefined) => (value === undefined ? undefined : (JSON.parse(value) as T));
  return {
    async savePending(handle: string, pending: PendingUpstream): Promise<void> {
      await store.put(`sso:pending:${handle}`, JSON.stringify(pending), PENDING_TTL_SECONDS);
    },
    async takePending(handle: string): Promise<PendingUpstream | undefined> {
      return read(await store.take(`sso:pending:${handle}`));
    },
    /** Reads without using it up: whether a SAML answer may be checked at all (a test of a disabled connection). */
    async peekPending(handle: string): Promise<PendingUpstream | undefined> {
      return read(await store.get(`sso:pending:${handle}`));
    },
    async issueTicket(ticket: SignInTicket): Promise<string> {
      const id = randomBytes(24).toString('base64url');
      await store.put(`sso:ticket:${id}`, JSON.stringify(ticket), TICKET_TTL_SECONDS);
      return id;
    },
    async takeTicket(id: string): Promise<SignInTicket | undefined> {
      const ticket = read<SignInTicket>(await store.take(`sso:ticket:${id}`));
      if (ticket?.identity.authenticatedAt) {
        ticket.identity.authenticatedAt = new Date(ticket.identity.authenticatedAt);
      }
      return ticket;
    },
  };
}
export type SignInTickets = ReturnType<typeof createSignInTickets>;
