import { reject } from './saml-rejection.js';
import { attribute, childElements, NS, onlyChild, parseXml, textOf } from './xml-document.js';
import { MAX_RESPONSE_BYTES } from './response-inspection.js';

export interface SubjectConfirmation {
  method: string | undefined;
  recipient: string | undefined;
  notBefore: string | undefined;
  notOnOrAfter: string | undefined;
  inResponseTo: string | undefined;
}

export interface AuthnStatement {
  authnInstant: string | undefined;
  /** The IdP's session the sign-in belongs to (SAML Core §2.7.2), named again in Single Logout. */
  sessionIndex: string | undefined;
  sessionNotOnOrAfter: string | undefined;
  classRef: string | undefined;
}

export interface Conditions {
  notBefore: string | undefined;
  notOnOrAfter: string | undefined;
  /** One list of audiences per AudienceRestriction (SAML Core §2.5.1.4: each must be met). */
  audienceRestrictions: string[][];
  /** Local names of the other conditions. */
  others: string[];
}

/** The assertion node-saml verified, read into plain values (SAML Core §2.3.3). */
export interface TrustedAssertion {
  id: string;
  version: string | undefined;
  issueInstant: string | undefined;
  issuer: { value: string; format: string | undefined } | undefined;
  nameId: { value: string; format: string | undefined } | undefined;
  confirmations: SubjectConfirmation[];
  conditions: Conditions | undefined;
  authnStatements: AuthnStatement[];
  attributes: { name: string; values: string[] }[];
}

const A = NS.assertion;

/** Reads the signed XML node-saml returned; the raw document is never consulted for these values. */
export function readTrustedAssertion(xml: string): TrustedAssertion {
  const assertion = parseXml(xml, MAX_RESPONSE_BYTES).documentElement;
  if (assertion.namespaceURI !== A || assertion.localName !== 'Assertion') {
    reject('malformed', 'the verified element is not an Assertion');
  }
  const issuer = onlyChild(assertion, A, 'Issuer');
  const subject = onlyChild(assertion, A, 'Subject');
  const nameId = subject && onlyChild(subject, A, 'NameID');
  const conditions = onlyChild(assertion, A, 'Conditions');
  return {
    id: attribute(assertion, 'ID') ?? reject('malformed', 'the assertion has no ID'),
    version: attribute(assertion, 'Version'),
    issueInstant: attribute(assertion, 'IssueInstant'),
    issuer: issuer && { value: textOf(issuer), format: attribute(issuer, 'Format') },
    nameId: nameId && { value: textOf(nameId), format: attribute(nameId, 'Format') },
    confirmations: subject ? childElements(subject, A, 'SubjectConfirmation').map(confirmation) : [],
    conditions: conditions && readConditions(conditions),
    authnStatements: childElements(assertion, A, 'AuthnStatement').map(authnStatement),
    attributes: childElements(assertion, A, 'AttributeStatement').flatMap((statement) =>
      childElements(statement, A, 'Attribute').map((element) => ({
        name: attribute(element, 'Name') ?? '',
        values: childElements(element, A, 'AttributeValue')
          .filter((value) => value.getAttributeNS(NS.xsi, 'nil') !== 'true')
          .map((value) => value.textContent ?? ''),
      })),
    ),
  };
}

function confirmation(element: Element): SubjectConfirmation {
  const data = onlyChild(element, A, 'SubjectConfirmationData');
  return {
    method: attribute(element, 'Method'),
    recipient: data && attribute(data, 'Recipient'),
    notBefore: data && attribute(data, 'NotBefore'),
    notOnOrAfter: data && attribute(data, 'NotOnOrAfter'),
    inResponseTo: data && attribute(data, 'InResponseTo'),
  };
}

function readConditions(element: Element): Conditions {
  const children = childElements(element);
  const restrictions = children.filter((c) => c.namespaceURI === A && c.localName === 'AudienceRestriction');
  return {
    notBefore: attribute(element, 'NotBefore'),
    notOnOrAfter: attribute(element, 'NotOnOrAfter'),
    audienceRestrictions: restrictions.map((r) => childElements(r, A, 'Audience').map(textOf)),
    others: children
      .filter((c) => !restrictions.includes(c))
      .map((c) => (c.namespaceURI === A ? (c.localName ?? '') : `{${c.namespaceURI}}${c.localName}`)),
  };
}

function authnStatement(element: Element): AuthnStatement {
  const context = onlyChild(element, A, 'AuthnContext');
  const classRef = context && onlyChild(context, A, 'AuthnContextClassRef');
  return {
    authnInstant: attribute(element, 'AuthnInstant'),
    sessionIndex: attribute(element, 'SessionIndex'),
    sessionNotOnOrAfter: attribute(element, 'SessionNotOnOrAfter'),
    classRef: classRef && textOf(classRef).trim(),
  };
}
