import { createHash } from 'node:crypto';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import { SamlRejection } from './saml-rejection.js';

// IDs come from the IdP's XML (attacker-sized): keys hold their digest, bounded and opaque.
const digest = (value: string) => createHash('sha256').update(value).digest('base64url');
const keyOf = (prefix: string, connectionId: string, id: string) => `${prefix}:${connectionId}:${digest(id)}`;

export interface PendingRequestIds {
  /** Remembers a request this SP sent for the connection, with what the caller needs back. */
  remember(connectionId: string, requestId: string, value: string): Promise<void>;
  /**
   * The value remembered for the request an answer's InResponseTo names. Taken, so a second
   * answer to the same request is refused; a marker tells that case apart from an ID that was
   * never issued (or was issued for another connection).
   */
  take(connectionId: string, requestId: string): Promise<string>;
}

/**
 * Single use of the IDs of requests this SP sends (AuthnRequest, LogoutRequest), in the shared
 * EphemeralStore (Redis when several instances run), so an answer is accepted once whichever
 * instance receives it. `unknown` and `replayed` are the refusals' descriptions.
 */
export function pendingRequestIds(
  store: EphemeralStore,
  options: {
    pending: string;
    answered: string;
    ttlSeconds: number;
    /** The request's name, for the error when an ID is issued twice. */
    request: string;
    unknown: string;
    replayed: string;
  },
): PendingRequestIds {
  const pendingKey = (connectionId: string, id: string) => keyOf(options.pending, connectionId, id);
  const answeredKey = (connectionId: string, id: string) => keyOf(options.answered, connectionId, id);
  return {
    async remember(connectionId, requestId, value) {
      const stored = await store.putIfAbsent(pendingKey(connectionId, requestId), value, options.ttlSeconds);
      if (!stored) throw new Error(`${options.request} ID was issued twice`);
    },
    async take(connectionId, requestId) {
      const value = await store.take(pendingKey(connectionId, requestId));
      if (value === undefined) {
        const answered = await store.get(answeredKey(connectionId, requestId));
        throw answered === undefined
          ? new SamlRejection('unknown_request', options.unknown)
          : new SamlRejection('replayed_request', options.replayed);
      }
      await store.put(answeredKey(connectionId, requestId), '1', options.ttlSeconds);
      return value;
    },
  };
}

/** Records a message ID the IdP sent; refuses it when it was seen already within `ttlSeconds`. */
export async function acceptOnce(
  store: EphemeralStore,
  prefix: string,
  connectionId: string,
  id: string,
  ttlSeconds: number,
  replayed: () => SamlRejection,
): Promise<void> {
  const fresh = await store.putIfAbsent(keyOf(prefix, connectionId, id), '1', ttlSeconds);
  if (!fresh) throw replayed();
}
