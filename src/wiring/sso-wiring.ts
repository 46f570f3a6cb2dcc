import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import { createSsoSignIn } from '../domain/provisioning/sso-sign-in.js';
import { createRealmDiscovery } from '../domain/realm-discovery/routing-loader.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { Database } from '../domain/ports/repositories.js';
import { createUpstreamOidc } from '../federation/oidc/upstream-oidc.js';
import { createIdpMetadataRefresh } from '../federation/saml/metadata-refresh.js';
import { createMetadataRefreshScheduler } from '../federation/saml/metadata-refresh-scheduler.js';
import { createSamlServiceProvider } from '../federation/saml/service-provider.js';

/** Part of the composition root: enterprise SSO (routing, partner OIDC and SAML, JIT provisioning). */
export function wireSso(env: Env, db: Database, store: EphemeralStore, logger: Logger) {
  const samlMetadata = createIdpMetadataRefresh();
  return {
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
    }),
    ssoSignIn: createSsoSignIn(db),
  };
}
export type SsoServices = ReturnType<typeof wireSso>;
