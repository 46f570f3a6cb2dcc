import { checkLogoutMessage } from './logout-checks.js';
import { decodeLogoutMessage, type DecodedLogoutMessage, type LogoutTransport } from './logout-decoding.js';
import { encodeLogoutMessage, type OutgoingLogoutMessage } from './logout-encoding.js';
import { inspectLogoutMessage, type InspectedLogoutMessage } from './logout-inspection.js';
import { logoutResponseXml, newMessageId, STATUS, type LogoutStatus } from './logout-messages.js';
import { verifyLogoutSignature } from './logout-signatures.js';
import { reject, SamlRejection, type SamlRejectionReason } from './saml-rejection.js';
import type { LogoutConnection, LogoutContext } from './single-logout.js';
import { idpLogoutService, type IdpLogout } from './single-logout-endpoint.js';
import { XmlDocumentError } from './xml-document.js';

/** Builds the signed LogoutResponse to the IdP's request, in the binding the IdP used. */
export type LogoutResponder = (status: LogoutStatus) => OutgoingLogoutMessage;

export type ReceivedLogout =
  /** IdP-initiated, verified: end the sessions, then answer. */
  | {
      kind: 'request';
      nameId: string;
      nameIdFormat: string | undefined;
      sessionIndexes: string[];
      respond: LogoutResponder;
    }
  /** A request that must not be acted on, but can be answered with `status`. */
  | { kind: 'refused_request'; rejection: SamlRejection; status: LogoutStatus; respond: LogoutResponder }
  /** The answer to a LogoutRequest of ours, verified; `state` is what was sent with it. */
  | {
      kind: 'response';
      state: string;
      status: { code: string; detail: string | undefined };
      success: boolean;
    };

// Reasons that say the request was not believed (SAML Core §3.2.2.2 RequestDenied).
const DENIED = new Set<SamlRejectionReason>([
  'signature_missing',
  'signature_invalid',
  'sha1_refused',
  'wrapped_signature',
  'replayed_request',
  'expired',
  'not_yet_valid',
]);

/**
 * A message at the SP's SingleLogoutService (SAML Profiles §4.4.4). A LogoutResponse is verified
 * (signature, Issuer, Destination, time, InResponseTo single use) or refused by throwing
 * SamlRejection. A LogoutRequest is verified the same way (with its ID single use); when it fails
 * but names an ID and the IdP has a SingleLogoutService, it comes back as `refused_request`
 * with the status to answer, else SamlRejection is thrown (nothing can be answered).
 */
export async function receiveSamlLogout(
  context: LogoutContext,
  connection: LogoutConnection,
  transport: LogoutTransport,
): Promise<ReceivedLogout> {
  const { decoded, inspected } = readMessage(transport);
  const idp = idpLogoutService(connection.settings, connection.upstreamMetadata);
  if (inspected.kind === 'LogoutResponse') {
    if (!idp) reject('idp_unavailable', 'the connection has no IdP SingleLogoutService');
    return acceptResponse(context, connection, idp, decoded, inspected);
  }
  if (!idp)
    reject('idp_unavailable', 'a LogoutRequest arrived, but the IdP has no SingleLogoutService to answer');
  const respond = responder(context, connection, idp, decoded, inspected.id);
  if (connection.settings.single_logout === false) {
    const rejection = new SamlRejection(
      'idp_unavailable',
      'Single Logout is switched off for this connection',
    );
    return {
      kind: 'refused_request',
      rejection,
      status: { code: STATUS.responder, detail: STATUS.requestUnsupported },
      respond,
    };
  }
  try {
    const replayUntil = await verify(context, connection, idp, decoded, inspected);
    const ttl = Math.max(1, Math.ceil((replayUntil.getTime() - context.now.getTime()) / 1000));
    await context.correlation.rememberReceived(connection.id, inspected.id, ttl);
    const { value: nameId, format: nameIdFormat } = inspected.nameId!;
    return { kind: 'request', nameId, nameIdFormat, sessionIndexes: inspected.sessionIndexes, respond };
  } catch (error) {
    if (!(error instanceof SamlRejection)) throw error;
    return { kind: 'refused_request', rejection: error, status: statusFor(error, inspected), respond };
  }
}

function readMessage(transport: LogoutTransport): {
  decoded: DecodedLogoutMessage;
  inspected: InspectedLogoutMessage;
} {
  try {
    const decoded = decodeLogoutMessage(transport);
    return { decoded, inspected: inspectLogoutMessage(decoded.xml) };
  } catch (error) {
    if (error instanceof XmlDocumentError) throw new SamlRejection('malformed', error.message);
    throw error;
  }
}

async function verify(
  context: LogoutContext,
  connection: LogoutConnection,
  idp: IdpLogout,
  decoded: DecodedLogoutMessage,
  inspected: InspectedLogoutMessage,
): Promise<Date> {
  await verifyLogoutSignature(decoded, inspected.root, {
    certificates: idp.certificates,
    allowSha1: connection.settings.allow_sha1,
    spEntityId: context.spEntityId,
    sloUrl: context.sloUrl,
  });
  return checkLogoutMessage(inspected, {
    idpEntityId: idp.entityId,
    sloUrl: context.sloUrl,
    now: context.now,
    skewMs: context.skewMs,
  });
}

async function acceptResponse(
  context: LogoutContext,
  connection: LogoutConnection,
  idp: IdpLogout,
  decoded: DecodedLogoutMessage,
  inspected: InspectedLogoutMessage,
): Promise<ReceivedLogout> {
  await verify(context, connection, idp, decoded, inspected);
  if (!inspected.inResponseTo) reject('unknown_request', 'the LogoutResponse answers no request');
  const state = await context.correlation.takeSent(connection.id, inspected.inResponseTo);
  const status = inspected.status!;
  return { kind: 'response', state, status, success: status.code === STATUS.success };
}

/**
 * Bindings §3.4.3/§3.5.3: the response goes back with the request's RelayState, in the binding
 * the request came in when the IdP offers it there, to its ResponseLocation.
 */
function responder(
  context: LogoutContext,
  connection: LogoutConnection,
  idp: IdpLogout,
  decoded: DecodedLogoutMessage,
  inResponseTo: string,
): LogoutResponder {
  const endpoint = idp.endpoints[decoded.binding] ?? idp.request;
  return (status) =>
    encodeLogoutMessage(
      'SAMLResponse',
      logoutResponseXml({
        id: newMessageId(),
        issuer: context.spEntityId,
        destination: endpoint.responseLocation,
        issueInstant: context.now,
        inResponseTo,
        status,
      }),
      { binding: endpoint.binding, url: endpoint.responseLocation },
      { privateKey: connection.spPrivateKey, certificate: connection.spCertificate },
      decoded.relayState,
    );
}

function statusFor(error: SamlRejection, inspected: InspectedLogoutMessage): LogoutStatus {
  if (inspected.version !== '2.0') return { code: STATUS.versionMismatch };
  if (error.reason === 'idp_unavailable') return { code: STATUS.responder };
  return { code: STATUS.requester, ...(DENIED.has(error.reason) ? { detail: STATUS.requestDenied } : {}) };
}
