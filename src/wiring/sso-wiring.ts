import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { createCertificateAlerts } from '../domain/connection-health/certificate-alerts.js';
import { createHealthRecorder } from '../domain/connection-health/health-recorder.js';
import { createSsoSignIn } from '../domain/provisioning/sso-sign-in.js';
import { createRealmDiscovery } from '../domain/realm-discovery/routing-loader.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { Database } from '../domain/ports/repositories.js';
import { createUpstreamOidc } from '../federation/oidc/upstream-oidc.js';
import { connectionCertificates } from '../federation/saml/connection-certificates.js';
import { createIdpMetadataRefresh } from '../federation/saml/metadata-refresh.js';
import { createMetadataRefreshScheduler } from '../federation/saml/metadata-refresh-scheduler.js';
import { createSamlServiceProvider } from '../federation/saml/service-provider.js';

/** Part of the composition root: enterprise SSO (routing, partner OIDC and SAML, JIT provisioning). */
export function wireSso(
  env: Env,
  db: Database,
  store: EphemeralStore,
  logger: Logger,
  now: () => Date = () => new Date(),
) {
  const samlMetadata = createIdpMetadataRefresh();
  const connectionHealth = createHealthRecorder(db, now);
  const certificateAlerts = createCertificateAlerts({ db, certificatesOf: connectionCertificates, now });
  return {
    /** Last sign-ins, tests and metadata refreshes of each connection (domain/connection-health). */
    connectionHealth,
    /** The 30/14/7-day IdP certificate warnings; each metadata refresh round runs them. */
    certificateAlerts,
    realm: createRealmDiscovery(db),
    upstreamOidc: createUpstreamOidc({
      redirectUri: (connectionId) => `${env.ISSUER}/sso/oidc/${connectionId}/callback`,
    }),
    saml: createSamlServiceProvider({ issuer: env.ISSUER, store, logger }),
    /** Fetches a SAML connection's IdP metadata (on first use and on the schedule). */
    samlMetadata,
    /** Refreshes every SAML connection's IdP metadata every few hours; the server starts it. */
    samlMetadataSchedule: createMetadataRefreshScheduler({
      listConnections: () => db.connections.listByType('saml'),
      persist: async (id, upstreamMetadata) => {
        await db.connections.update(id, { upstreamMetadata });
      },
      refresh: samlMetadata,
      takeLease: (seconds) => store.putIfAbsent('saml:metadata-refresh', 'taken', seconds),
      logger,
      intervalHours: env.SAML_METADATA_REFRESH_HOURS,
      recordRefresh: (id, error) => connectionHealth.metadataRefreshed(id, error),
      afterRound: async () => {
        await certificateAlerts.run();
      },
    }),
    ssoSignIn: createSsoSignIn(db),
  };
}
export type SsoServices = ReturnType<typeof wireSso>;
