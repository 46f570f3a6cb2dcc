import type { Env } from '../config/env.js';
import {
  ensurePortalClient,
  PORTAL_CLIENT_ID,
  PORTAL_SCOPE,
  portalCallbackUrl,
} from '../domain/portal/portal-client.js';
import { createPortalSessions, type PortalSessions } from '../domain/portal/portal-sessions.js';
import { createPortalLinksAdmin, type PortalLinksAdmin } from '../domain/portal/portal-links-admin.js';
import { createSetupLinks, type SetupLinks } from '../domain/portal/setup-links.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { Database } from '../domain/ports/repositories.js';
import { discoverRelyingParty, type RelyingParty } from '../federation/oidc/relying-party.js';
import type { Envelope } from '../lib/crypto/envelope.js';

export interface PortalServices {
  /** One-time setup links: issue, inspect, consume (domain/portal/setup-links.ts). */
  links: SetupLinks;
  /** Issuing links as the admin API and CLI do: the link's URL, shown once. */
  linksAdmin: PortalLinksAdmin;
  /** Portal sign-ins in the ephemeral store. */
  sessions: PortalSessions;
  /** The portal's relying party against Gatehouse itself; discovered on first use. */
  relyingParty: () => Promise<RelyingParty>;
  /** The clock of link expiry and sessions (tests inject one). */
  now: () => Date;
}

/** Part of the composition root: the customer portal's links, sessions and its own OIDC client. */
export async function wirePortal(
  env: Pick<Env, 'ISSUER'>,
  db: Database,
  store: EphemeralStore,
  envelope: Envelope,
  now: () => Date,
): Promise<{ portal: PortalServices }> {
  await ensurePortalClient(db, envelope, env.ISSUER);
  let relyingParty: Promise<RelyingParty> | undefined;
  // Lazy: the server must be listening before it can answer its own discovery request.
  const discover = () =>
    discoverRelyingParty({
      issuer: env.ISSUER,
      clientId: PORTAL_CLIENT_ID,
      redirectUri: portalCallbackUrl(env.ISSUER),
      scope: PORTAL_SCOPE,
    });
  const links = createSetupLinks(db, now);
  return {
    portal: {
      links,
      linksAdmin: createPortalLinksAdmin(links, env.ISSUER),
      sessions: createPortalSessions(store, now),
      relyingParty: () =>
        (relyingParty ??= discover().catch((error: unknown) => {
          relyingParty = undefined;
          return Promise.reject(error);
        })),
      now,
    },
  };
}
