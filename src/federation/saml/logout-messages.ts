import { randomBytes } from 'node:crypto';
import { NS } from './xml-document.js';

/** SAML Core §3.2.2.2 status codes a LogoutResponse of Gatehouse's carries. */
export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  versionMismatch: 'urn:oasis:names:tc:SAML:2.0:status:VersionMismatch',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
  requestUnsupported: 'urn:oasis:names:tc:SAML:2.0:status:RequestUnsupported',
  unknownPrincipal: 'urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal',
} as const;

export interface LogoutStatus {
  /** The top-level code: Success, Requester, Responder or VersionMismatch. */
  code: string;
  /** A second-level code saying more (UnknownPrincipal, RequestDenied, ...). */
  detail?: string | undefined;
}

export interface LogoutRequestFields {
  id: string;
  issuer: string;
  destination: string;
  issueInstant: Date;
  notOnOrAfter: Date;
  nameId: string;
  nameIdFormat?: string | undefined;
  sessionIndex?: string | undefined;
}

export interface LogoutResponseFields {
  id: string;
  issuer: string;
  destination: string;
  issueInstant: Date;
  inResponseTo: string;
  status: LogoutStatus;
}

// SAML Core §3.7.3: the principal asked to log out (as opposed to an administrator or a timeout).
const USER_REASON = 'urn:oasis:names:tc:SAML:2.0:logout:user';

/** SAML Core §1.3.4: an xs:ID with at least 128 bits of randomness; it must not start with a digit. */
export const newMessageId = () => `_${randomBytes(20).toString('hex')}`;

/** SAML Core §1.3.3: UTC, no time zone component, millisecond precision at most. */
const instant = (time: Date) => time.toISOString();

const escape = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/**
 * SAML Core §3.7.1 LogoutRequest for the user's session at the IdP: the NameID exactly as the
 * assertion carried it and the SessionIndex of that sign-in (Profiles §4.4.4.1), Issuer first so
 * an enveloped signature can follow it (Core §5.4.2 puts it right after the Issuer).
 */
export function logoutRequestXml(fields: LogoutRequestFields): string {
  const format = fields.nameIdFormat ? ` Format="${escape(fields.nameIdFormat)}"` : '';
  const sessionIndex = fields.sessionIndex
    ? `<samlp:SessionIndex>${escape(fields.sessionIndex)}</samlp:SessionIndex>`
    : '';
  return (
    `<samlp:LogoutRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}"` +
    ` ID="${escape(fields.id)}" Version="2.0" IssueInstant="${instant(fields.issueInstant)}"` +
    ` Destination="${escape(fields.destination)}" NotOnOrAfter="${instant(fields.notOnOrAfter)}"` +
    ` Reason="${USER_REASON}">` +
    `<saml:Issuer>${escape(fields.issuer)}</saml:Issuer>` +
    `<saml:NameID${format}>${escape(fields.nameId)}</saml:NameID>${sessionIndex}` +
    `</samlp:LogoutRequest>`
  );
}

/** SAML Core §3.7.2 LogoutResponse (a StatusResponseType, §3.2.2). */
export function logoutResponseXml(fields: LogoutResponseFields): string {
  const { code, detail } = fields.status;
  const inner = detail ? `<samlp:StatusCode Value="${escape(detail)}"/>` : '';
  return (
    `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}"` +
    ` ID="${escape(fields.id)}" Version="2.0" IssueInstant="${instant(fields.issueInstant)}"` +
    ` Destination="${escape(fields.destination)}" InResponseTo="${escape(fields.inResponseTo)}">` +
    `<saml:Issuer>${escape(fields.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${escape(code)}">${inner}</samlp:StatusCode></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}
