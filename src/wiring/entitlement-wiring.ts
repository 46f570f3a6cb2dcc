import type { Logger } from 'pino';
import { createOrganizationRateLimiter } from '../domain/entitlements/api-rate-limiter.js';
import { createEntitlements } from '../domain/entitlements/entitlements.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import { createOrganizationFreeze } from '../domain/organizations/organization-freeze.js';
import type { Database } from '../domain/ports/repositories.js';
import { createOrganizationRevocation } from '../oidc/organization-revocation.js';
import type { SessionServices } from '../oidc/session-services.js';

/** Part of the composition root: plans and quotas (domain/entitlements) and the kill switch. */
export function wireEntitlements(
  db: Database,
  store: EphemeralStore,
  sessions: Pick<SessionServices, 'sessions' | 'models' | 'logoutDelivery'>,
  logger: Logger,
  now: () => Date,
) {
  const revokeOrganizations = createOrganizationRevocation({
    models: sessions.models,
    grants: db.grantOrganizations,
    sessions: sessions.sessions,
    notify: sessions.logoutDelivery.notify,
    logger,
  });
  const entitlements = createEntitlements(db, now);
  return {
    entitlements,
    /** The plans' API rate limits: admin API (organization keys), SCIM and token requests. */
    apiRateLimiter: createOrganizationRateLimiter(
      store,
      entitlements.apiRateLimit,
      now,
      db.keptConfiguration,
    ),
    /** Reusable by other kill switches (a federation freeze): every session and grant of these organizations. */
    revokeOrganizations,
    organizationFreeze: createOrganizationFreeze(db, revokeOrganizations, now),
  };
}
export type EntitlementServices = ReturnType<typeof wireEntitlements>;
