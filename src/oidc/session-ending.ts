import type { SessionProtocol } from '../domain/ports/sessions.js';
import type { LogoutNotice } from '../domain/sessions/logout-delivery.js';
import { revokeGrant } from './access-revocation.js';
import type { ModelStores } from './session-models.js';

/** oidc-provider's stored Session (lib/models/session.js): `jti` is its id, `uid` stays the same. */
interface StoredSession {
  jti: string;
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

/**
 * Ends a browser session's protocol state: destroys oidc-provider's session (found by its stable
 * uid; its id changes at each login), revokes each grant made in it, as RP-initiated logout does,
 * and queues a back-channel logout with the session's `sid` to every application in it (OIDC
 * Back-Channel Logout 1.0 §2.4); the sender skips applications without a URI.
 */
export function createSessionProtocol(deps: {
  models: ModelStores;
  notify(notices: readonly LogoutNotice[]): Promise<void>;
}): SessionProtocol {
  return {
    async end(id) {
      const sessions = deps.models('Session');
      const session = (await sessions.findByUid(id)) as StoredSession | undefined;
      if (!session) return false;
      const authorizations = Object.entries(session.authorizations ?? {});
      const notices: LogoutNotice[] = session.accountId
        ? authorizations.map(([clientId, { sid }]) => ({
            clientId,
            accountId: session.accountId!,
            sid: sid ?? null,
          }))
        : [];
      // Independent writes, sent together (one round trip to each store where they can share one).
      await Promise.all([
        sessions.destroy(session.jti),
        ...authorizations.flatMap(([, { grantId }]) => (grantId ? [revokeGrant(deps.models, grantId)] : [])),
        deps.notify(notices),
      ]);
      return true;
    },
  };
}
