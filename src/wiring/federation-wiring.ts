import type { Logger } from 'pino';
import { createFederationsAdmin } from '../domain/federations/federations-admin.js';
import type { Database } from '../domain/ports/repositories.js';
import { createPartnerRevocation } from '../oidc/partner-revocation.js';
import type { SessionServices } from '../oidc/session-services.js';

/** Part of the composition root: federations, and what freezing one revokes at once. */
export function wireFederations(
  db: Database,
  sessions: Pick<SessionServices, 'sessions' | 'models' | 'logoutDelivery'>,
  logger: Logger,
  now: () => Date,
) {
  const revokePartnerGrants = createPartnerRevocation({
    models: sessions.models,
    endSessions: (userId, organizationId) =>
      sessions.sessions.endForUser(userId, { organizationId }, 'access_ended'),
    notify: sessions.logoutDelivery.notify,
    logger,
  });
  return createFederationsAdmin(db, { revokePartnerGrants, now });
}
