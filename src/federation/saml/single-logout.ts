import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { LOGOUT_REQUEST_TTL_SECONDS, type LogoutCorrelation } from './logout-correlation.js';
import { encodeLogoutMessage, type OutgoingLogoutMessage } from './logout-encoding.js';
import { logoutRequestXml, newMessageId } from './logout-messages.js';
import { reject } from './saml-rejection.js';
import { resolveIdpLogout } from './single-logout-endpoint.js';

/** What the SP side of Single Logout works with, per message. */
export interface LogoutContext {
  spEntityId: string;
  /** This connection's SingleLogoutService URL. */
  sloUrl: string;
  now: Date;
  skewMs: number;
  correlation: LogoutCorrelation;
}

/** The connection fields logout messages need (a SamlConnection has them). */
export interface LogoutConnection {
  id: string;
  settings: SamlSettings;
  upstreamMetadata: Record<string, unknown> | null;
  spCertificate: string;
  spPrivateKey: string;
}

/** The user's session at the IdP, as the sign-in's assertion named it. */
export interface UpstreamSubject {
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

/**
 * SP-initiated Single Logout (SAML Profiles §4.4.3.1): a LogoutRequest for the user's IdP session,
 * signed with the connection's SP key, to the IdP's SingleLogoutService in the binding the
 * connection prefers. Its ID is remembered for this connection with `state`, which the
 * LogoutResponse hands back. Throws SamlRejection `idp_unavailable` when the connection does not
 * do Single Logout.
 */
export async function startSamlLogout(
  context: LogoutContext,
  connection: LogoutConnection,
  subject: UpstreamSubject,
  state: string,
): Promise<OutgoingLogoutMessage> {
  const idp = resolveIdpLogout(connection.settings, connection.upstreamMetadata);
  if (!idp) reject('idp_unavailable', 'the connection does not do Single Logout');
  const id = newMessageId();
  const xml = logoutRequestXml({
    id,
    issuer: context.spEntityId,
    destination: idp.request.location,
    issueInstant: context.now,
    notOnOrAfter: new Date(context.now.getTime() + LOGOUT_REQUEST_TTL_SECONDS * 1000),
    ...subject,
  });
  await context.correlation.rememberSent(connection.id, id, state);
  return encodeLogoutMessage(
    'SAMLRequest',
    xml,
    { binding: idp.request.binding, url: idp.request.location },
    { privateKey: connection.spPrivateKey, certificate: connection.spCertificate },
  );
}
