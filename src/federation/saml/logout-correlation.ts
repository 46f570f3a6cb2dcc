import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { acceptOnce, pendingRequestIds } from './message-ids.js';
import { SamlRejection } from './saml-rejection.js';

/** How long a LogoutRequest of Gatehouse's waits for its LogoutResponse (a few redirects away). */
export const LOGOUT_REQUEST_TTL_SECONDS = 600;

/**
 * Single use of logout message IDs in the shared EphemeralStore, like the AuthnRequest
 * correlation (replay-guard.ts): a LogoutResponse is accepted once, for a request this SP sent
 * for this connection; an IdP's LogoutRequest is acted on once.
 */
export function createLogoutCorrelation(store: EphemeralStore) {
  // SAML Core §3.2.2: InResponseTo names the request answered.
  const sent = pendingRequestIds(store, {
    pending: 'saml:logout-sent',
    answered: 'saml:logout-answered',
    ttlSeconds: LOGOUT_REQUEST_TTL_SECONDS,
    request: 'a LogoutRequest',
    unknown: 'InResponseTo names no pending LogoutRequest of this connection',
    replayed: 'the LogoutRequest was already answered',
  });
  return {
    /** Remembers a LogoutRequest sent, with what the caller needs back when it is answered. */
    rememberSent: (connectionId: string, requestId: string, state: string): Promise<void> =>
      sent.remember(connectionId, requestId, state),

    /** The state remembered for the request a LogoutResponse answers; a second answer is refused. */
    takeSent: (connectionId: string, requestId: string): Promise<string> =>
      sent.take(connectionId, requestId),

    /** An IdP's LogoutRequest ID, kept for as long as the request could be presented again. */
    rememberReceived: (connectionId: string, requestId: string, ttlSeconds: number): Promise<void> =>
      acceptOnce(
        store,
        'saml:logout-received',
        connectionId,
        requestId,
        ttlSeconds,
        () => new SamlRejection('replayed_request', 'the LogoutRequest was already received'),
      ),
  };
}
export type LogoutCorrelation = ReturnType<typeof createLogoutCorrelation>;
