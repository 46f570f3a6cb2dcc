import type { Conditions, SubjectConfirmation, TrustedAssertion } from './assertion-reader.js';
import { reject, SamlRejection } from './saml-rejection.js';

export interface AssertionExpectations {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  now: Date;
  skewMs: number;
}

export interface CheckedAssertion {
  /** The bearer confirmation's InResponseTo: the AuthnRequest answered, absent when unsolicited. */
  inResponseTo: string | undefined;
  /** Until when the assertion could be presented: how long its ID stays in the replay cache. */
  replayUntil: Date;
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
// SAML Core §2.5.1.5/§2.5.1.6: conditions whose meaning Gatehouse meets (one-time use by the
// replay cache; a proxy restriction only limits what Gatehouse may issue onward, and it issues
// no SAML). Any other condition is not understood, so the assertion is Indeterminate (§2.5.1).
const UNDERSTOOD_CONDITIONS = new Set(['OneTimeUse', 'ProxyRestriction']);

/**
 * The assertion rules of SAML Profiles §4.1.4.2/§4.1.4.3, on the verified assertion. The clock
 * allows `skewMs` either way: NotBefore may be that far ahead, NotOnOrAfter that far behind.
 */
export function checkAssertion(assertion: TrustedAssertion, expect: AssertionExpectations): CheckedAssertion {
  if (assertion.version !== '2.0') reject('malformed', 'the assertion is not SAML 2.0');
  const issuer = assertion.issuer;
  // §4.1.4.2: the assertion's Issuer is the IdP's entity ID, Format omitted or entity.
  if (!issuer || issuer.value !== expect.idpEntityId || (issuer.format ?? ENTITY_FORMAT) !== ENTITY_FORMAT) {
    reject('issuer_mismatch', 'the assertion Issuer is not the IdP of this connection');
  }
  if (!assertion.nameId?.value) reject('malformed', 'the assertion has no NameID');
  const instant = optionalTime(assertion.issueInstant, 'IssueInstant');
  if (instant && instant.getTime() - expect.skewMs > expect.now.getTime()) {
    reject('not_yet_valid', 'the assertion was issued in the future');
  }
  const conditionsUntil = checkConditions(assertion.conditions, expect);
  checkAuthnStatements(assertion, expect);
  const bearer = acceptedBearer(assertion.confirmations, expect);
  const until = Math.max(bearer.notOnOrAfter.getTime(), conditionsUntil?.getTime() ?? 0);
  return { inResponseTo: bearer.inResponseTo, replayUntil: new Date(until + expect.skewMs) };
}

/** §4.1.4.2: an AudienceRestriction naming this SP; every restriction present must (Core §2.5.1.4). */
function checkConditions(
  conditions: Conditions | undefined,
  expect: AssertionExpectations,
): Date | undefined {
  if (!conditions || conditions.audienceRestrictions.length === 0) {
    reject('audience_mismatch', 'the assertion has no AudienceRestriction');
  }
  const { notBefore, notOnOrAfter, audienceRestrictions, others } = conditions!;
  checkWindow(optionalTime(notBefore, 'NotBefore'), optionalTime(notOnOrAfter, 'NotOnOrAfter'), expect);
  if (audienceRestrictions.some((audiences) => !audiences.includes(expect.spEntityId))) {
    reject('audience_mismatch', 'the assertion is meant for another audience');
  }
  const unknown = others.filter((name) => !UNDERSTOOD_CONDITIONS.has(name));
  if (unknown.length > 0) reject('condition_unsupported', `conditions not understood: ${unknown.join(', ')}`);
  return optionalTime(notOnOrAfter, 'NotOnOrAfter');
}

/** §4.1.4.2: at least one AuthnStatement; a session it says has ended cannot start now. */
function checkAuthnStatements(assertion: TrustedAssertion, expect: AssertionExpectations): void {
  if (assertion.authnStatements.length === 0) {
    reject('authn_statement_missing', 'the assertion has no AuthnStatement');
  }
  for (const statement of assertion.authnStatements) {
    if (!optionalTime(statement.authnInstant, 'AuthnInstant')) reject('malformed', 'AuthnInstant is missing');
    checkWindow(undefined, optionalTime(statement.sessionNotOnOrAfter, 'SessionNotOnOrAfter'), expect);
  }
}

/**
 * §4.1.4.3: a bearer SubjectConfirmation whose data has Recipient = the ACS URL and a
 * NotOnOrAfter still ahead. The first that passes wins; if none does, the first one's failure
 * is the reason given.
 */
function acceptedBearer(confirmations: SubjectConfirmation[], expect: AssertionExpectations) {
  const bearers = confirmations.filter((confirmation) => confirmation.method === BEARER);
  if (bearers.length === 0) reject('subject_confirmation_missing', 'no bearer SubjectConfirmation');
  let firstFailure: SamlRejection | undefined;
  for (const bearer of bearers) {
    try {
      if (bearer.recipient !== expect.acsUrl) {
        reject('recipient_mismatch', 'the SubjectConfirmationData Recipient is not this ACS URL');
      }
      const notOnOrAfter =
        optionalTime(bearer.notOnOrAfter, 'NotOnOrAfter') ??
        reject('malformed', 'the SubjectConfirmationData has no NotOnOrAfter');
      checkWindow(optionalTime(bearer.notBefore, 'NotBefore'), notOnOrAfter, expect);
      return { notOnOrAfter, inResponseTo: bearer.inResponseTo };
    } catch (error) {
      if (!(error instanceof SamlRejection)) throw error;
      firstFailure ??= error;
    }
  }
  throw firstFailure!;
}

function checkWindow(
  notBefore: Date | undefined,
  notOnOrAfter: Date | undefined,
  expect: AssertionExpectations,
) {
  const now = expect.now.getTime();
  if (notBefore && now + expect.skewMs < notBefore.getTime()) {
    reject('not_yet_valid', 'the assertion is not valid yet');
  }
  if (notOnOrAfter && now - expect.skewMs >= notOnOrAfter.getTime()) {
    reject('expired', 'the assertion has expired');
  }
}

/** SAML Core §1.3.3: xs:dateTime in UTC; anything unreadable is malformed, not ignored. */
function optionalTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) reject('malformed', `${name} is not a date`);
  return new Date(time);
}
