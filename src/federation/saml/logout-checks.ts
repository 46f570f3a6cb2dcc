import type { InspectedLogoutMessage } from './logout-inspection.js';
import { reject } from './saml-rejection.js';

export interface LogoutExpectations {
  idpEntityId: string;
  sloUrl: string;
  now: Date;
  skewMs: number;
}

/** How long after its IssueInstant a logout message is still taken: it only crosses a browser. */
export const LOGOUT_MESSAGE_LIFETIME_MS = 10 * 60 * 1000;

const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/**
 * The rules every signed logout message meets, on the verified message: SAML 2.0; Issuer = the
 * IdP's entity ID, Format omitted or entity (Profiles §4.4.4.1/§4.4.4.2: the Issuer MUST be
 * present); Destination = this SP's SingleLogoutService (Bindings §3.4.5.2/§3.5.5.2: required on
 * a signed message); IssueInstant neither ahead of the clock nor older than the message lifetime;
 * a LogoutRequest's NotOnOrAfter not passed (Core §3.7.1). The clock allows `skewMs` either way.
 * Returns until when the message could be presented: how long its ID stays in the replay cache.
 */
export function checkLogoutMessage(message: InspectedLogoutMessage, expect: LogoutExpectations): Date {
  if (message.version !== '2.0') reject('malformed', `the ${message.kind} is not SAML 2.0`);
  const { issuer } = message;
  if (!issuer || issuer.value !== expect.idpEntityId || (issuer.format ?? ENTITY_FORMAT) !== ENTITY_FORMAT) {
    reject('issuer_mismatch', `the ${message.kind} Issuer is not the IdP of this connection`);
  }
  if (message.destination !== expect.sloUrl) {
    reject('destination_mismatch', `the ${message.kind} Destination is not this SingleLogoutService`);
  }
  const now = expect.now.getTime();
  const issued = time(message.issueInstant, 'IssueInstant');
  if (issued === undefined) reject('malformed', `the ${message.kind} has no IssueInstant`);
  if (issued - expect.skewMs > now) reject('not_yet_valid', `the ${message.kind} was issued in the future`);
  const lifetimeEnds = issued + LOGOUT_MESSAGE_LIFETIME_MS;
  if (now - expect.skewMs >= lifetimeEnds) reject('expired', `the ${message.kind} is too old`);
  const notOnOrAfter = time(message.notOnOrAfter, 'NotOnOrAfter');
  if (notOnOrAfter !== undefined && now - expect.skewMs >= notOnOrAfter) {
    reject('expired', 'the LogoutRequest is past its NotOnOrAfter');
  }
  return new Date(Math.min(lifetimeEnds, notOnOrAfter ?? lifetimeEnds) + expect.skewMs);
}

/** SAML Core §1.3.3: xs:dateTime in UTC. */
function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed)) reject('malformed', `${name} is not a UTC xs:dateTime`);
  return parsed;
}
