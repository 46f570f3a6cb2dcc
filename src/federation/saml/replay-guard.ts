import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { acceptOnce, pendingRequestIds } from './message-ids.js';
import { SamlRejection } from './saml-rejection.js';

/** How long an AuthnRequest may wait for its response: the time a user takes to sign in upstream. */
export const REQUEST_TTL_SECONDS = 600;

/**
 * Single use of AuthnRequest IDs and of assertion IDs, in the shared EphemeralStore (Redis when
 * several instances run), so a response is accepted once whichever instance receives it.
 */
export function createReplayGuard(store: EphemeralStore) {
  // SAML Profiles §4.1.4.3: InResponseTo must name the ID of the request this SP sent.
  const requests = pendingRequestIds(store, {
    pending: 'saml:request',
    answered: 'saml:request-used',
    ttlSeconds: REQUEST_TTL_SECONDS,
    request: 'an AuthnRequest',
    unknown: 'InResponseTo names no pending request of this connection',
    replayed: 'the request was already answered',
  });
  return {
    /** Remembers an AuthnRequest sent for this connection, with the RelayState it carried. */
    rememberRequest: (connectionId: string, requestId: string, relayState: string): Promise<void> =>
      requests.remember(connectionId, requestId, JSON.stringify({ relayState })),

    /** The RelayState of the request a response answers; a second response to it is refused. */
    async consumeRequest(connectionId: string, requestId: string): Promise<{ relayState: string }> {
      return JSON.parse(await requests.take(connectionId, requestId)) as { relayState: string };
    },

    /**
     * SAML Profiles §4.1.4.5: the SP must keep used assertion IDs for as long as the assertion
     * would be valid (its bearer NotOnOrAfter), so that a captured POST cannot be replayed.
     */
    rememberAssertion: (connectionId: string, assertionId: string, ttlSeconds: number): Promise<void> =>
      acceptOnce(
        store,
        'saml:assertion',
        connectionId,
        assertionId,
        ttlSeconds,
        () => new SamlRejection('replayed_assertion', 'the assertion was already used'),
      ),
  };
}
export type ReplayGuard = ReturnType<typeof createReplayGuard>;
