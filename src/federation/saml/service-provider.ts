import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import type { EphemeralStore } from '../../domain/ports/ephemeral-store.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import { acceptSamlResponse } from './accept-response.js';
import { createLogoutCorrelation } from './logout-correlation.js';
import type { LogoutTransport } from './logout-decoding.js';
import type { OutgoingLogoutMessage } from './logout-encoding.js';
import { createReplayGuard } from './replay-guard.js';
import { SamlRejection } from './saml-rejection.js';
import { startSamlLogout, type UpstreamSubject } from './single-logout.js';
import { singleLogoutEnabled } from './single-logout-endpoint.js';
import { receiveSamlLogout, type ReceivedLogout } from './single-logout-receive.js';
import { spMetadataXml } from './sp-metadata.js';
import { startSamlLogin } from './start-login.js';
import { settleCertificateRollover } from './metadata-rollover.js';

/** One SAML connection as the SP needs it, the private key already unsealed by the caller. */
export interface SamlConnection {
  id: string;
  organizationId: string;
  settings: SamlSettings;
  /** The stored IdP metadata (metadata-refresh writes it); null until fetched, or when manual. */
  upstreamMetadata: Record<string, unknown> | null;
  spCertificate: string;
  spPrivateKey: string;
  attributeMap: Record<string, string>;
}

export interface AcceptedSamlResponse {
  identity: UpstreamIdentity;
  /** The AuthnRequest ID answered; null for an IdP-initiated (unsolicited) response. */
  inResponseTo: string | null;
  relayState: string | undefined;
  /**
   * The connection's next upstreamMetadata when this response settled a certificate rollover
   * (it verified with a current certificate, so the previous ones are dropped); persist it.
   */
  upstreamMetadataUpdate?: Record<string, unknown> | undefined;
}

export interface SamlServiceProvider {
  spEntityId(connectionId: string): string;
  acsUrl(connectionId: string): string;
  /** The connection's SingleLogoutService (HTTP-Redirect and HTTP-POST). */
  sloUrl(connectionId: string): string;
  metadata(connection: SamlConnection): string;
  startLogin(connection: SamlConnection, relayState: string): Promise<{ url: string; requestId: string }>;
  /** Throws SamlRejection on any failure. */
  acceptResponse(
    connection: SamlConnection,
    form: { SAMLResponse?: unknown; RelayState?: unknown },
  ): Promise<AcceptedSamlResponse>;
  /** Whether the connection does Single Logout (single-logout-endpoint.ts). */
  singleLogout(connection: SamlConnection): boolean;
  /** A signed LogoutRequest for the user's IdP session; `state` comes back with its answer. */
  startLogout(
    connection: SamlConnection,
    subject: UpstreamSubject,
    state: string,
  ): Promise<OutgoingLogoutMessage>;
  /** A message at the SingleLogoutService; throws SamlRejection when nothing can be answered. */
  receiveLogout(connection: SamlConnection, transport: LogoutTransport): Promise<ReceivedLogout>;
}

/** The slice of pino the SP logs through. */
export interface SamlLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface SamlServiceProviderDeps {
  /** Gatehouse's issuer URL; SP entity IDs and ACS URLs hang below it, one per connection. */
  issuer: string;
  store: EphemeralStore;
  now?: () => Date;
  /** Allowed difference between the IdP's clock and ours (default 120 s). */
  clockSkewSeconds?: number;
  logger?: SamlLogger;
}

const DEFAULT_SKEW_SECONDS = 120;
const MAX_SKEW_SECONDS = 600;

/**
 * The SAML 2.0 service provider of every SAML connection. Each connection is its own SP (own
 * entity ID, ACS URL and key pair), so an IdP's assertion can never be replayed at another
 * organization's connection (the audience and recipient differ).
 */
export function createSamlServiceProvider(deps: SamlServiceProviderDeps): SamlServiceProvider {
  const base = deps.issuer.replace(/\/+$/, '');
  const now = deps.now ?? (() => new Date());
  const skewSeconds = deps.clockSkewSeconds ?? DEFAULT_SKEW_SECONDS;
  if (!(skewSeconds >= 0 && skewSeconds <= MAX_SKEW_SECONDS)) {
    throw new RangeError(`clockSkewSeconds must be between 0 and ${MAX_SKEW_SECONDS}`);
  }
  const guard = createReplayGuard(deps.store);
  const correlation = createLogoutCorrelation(deps.store);
  const spEntityId = (connectionId: string) => `${base}/sso/saml/${encodeURIComponent(connectionId)}`;
  const acsUrl = (connectionId: string) => `${spEntityId(connectionId)}/acs`;
  const sloUrl = (connectionId: string) => `${spEntityId(connectionId)}/slo`;
  const urls = (connection: SamlConnection) => ({
    spEntityId: spEntityId(connection.id),
    acsUrl: acsUrl(connection.id),
  });
  const singleLogout = (connection: SamlConnection) =>
    singleLogoutEnabled(connection.settings, connection.upstreamMetadata);
  const logoutContext = (connection: SamlConnection) => ({
    spEntityId: spEntityId(connection.id),
    sloUrl: sloUrl(connection.id),
    now: now(),
    skewMs: skewSeconds * 1000,
    correlation,
  });

  return {
    spEntityId,
    acsUrl,
    sloUrl,
    metadata: (connection) =>
      spMetadataXml({
        ...urls(connection),
        ...(singleLogout(connection) ? { sloUrl: sloUrl(connection.id) } : {}),
        ...connection,
      }),
    singleLogout,
    startLogout: (connection, subject, state) =>
      startSamlLogout(logoutContext(connection), connection, subject, state),
    async receiveLogout(connection, transport) {
      try {
        const received = await receiveSamlLogout(logoutContext(connection), connection, transport);
        if (received.kind === 'refused_request')
          logRejection(connection, received.rejection, 'SAML LogoutRequest refused');
        return received;
      } catch (error) {
        if (error instanceof SamlRejection) logRejection(connection, error, 'SAML logout message rejected');
        throw error;
      }
    },
    startLogin: (connection, relayState) =>
      startSamlLogin({ ...urls(connection), guard }, connection, relayState),

    async acceptResponse(connection, form) {
      try {
        const accepted = await acceptSamlResponse(
          { ...urls(connection), guard, now: now(), skewMs: skewSeconds * 1000 },
          connection,
          form,
        );
        const settled =
          accepted.verifiedWith === 'current'
            ? settleCertificateRollover(connection.upstreamMetadata)
            : undefined;
        if (settled)
          deps.logger?.info({ connectionId: connection.id }, 'SAML IdP certificate rollover settled');
        return {
          identity: accepted.identity,
          inResponseTo: accepted.inResponseTo,
          relayState: accepted.relayState,
          ...(settled ? { upstreamMetadataUpdate: settled } : {}),
        };
      } catch (error) {
        if (error instanceof SamlRejection) logRejection(connection, error, 'SAML response rejected');
        throw error;
      }
    },
  };

  function logRejection(connection: SamlConnection, error: SamlRejection, message: string): void {
    deps.logger?.warn(
      { connectionId: connection.id, reason: error.reason, status: error.status, detail: error.message },
      message,
    );
  }
}
