import type { Logger } from 'pino';
import type { PartnerGrantBinding } from '../domain/ports/federations.js';
import type { LogoutNotice } from '../domain/sessions/logout-delivery.js';
import { revokeGrant } from './access-revocation.js';
import type { ModelStores } from './session-models.js';

/**
 * Ends partner access made through trust rules (a federation frozen or deleted, a rule deleted):
 * each grant and everything issued under it is destroyed (access-revocation.ts), the partner's
 * sessions for the target organization end, and applications with a back-channel logout URI are
 * told. Works with or without a running provider, through the same stores.
 */
export function createPartnerRevocation(deps: {
  models: ModelStores;
  endSessions(userId: string, organizationId: string): Promise<number>;
  notify(notices: readonly LogoutNotice[]): Promise<void>;
  logger: Pick<Logger, 'info'>;
}) {
  return async (bindings: readonly PartnerGrantBinding[]): Promise<void> => {
    for (const binding of bindings) await revokeGrant(deps.models, binding.grantId);
    const pairs = new Map(bindings.map((b) => [`${b.userId} ${b.organizationId}`, b]));
    let sessions = 0;
    for (const { userId, organizationId } of pairs.values()) {
      sessions += await deps.endSessions(userId, organizationId);
    }
    deps.logger.info(
      { event: 'federation.partner_access_revoked', grants: bindings.length, sessions },
      'partner access revoked',
    );
    // No sid: grants may outlive any session (offline access), as in access-revocation.ts.
    const notices = new Map(bindings.map((b) => [`${b.clientId} ${b.userId}`, b]));
    await deps.notify(
      [...notices.values()].map((b) => ({ clientId: b.clientId, accountId: b.userId, sid: null })),
    );
  };
}
