import { randomBytes } from 'node:crypto';

/**
 * Builds SAML 2.0 Responses by hand, for the cases a real IdP library will not produce (SHA-1,
 * an error status with an assertion, wrapped signatures, comments in the NameID, ...). Every
 * member can be overridden or left out (`null`) to break exactly one rule per test.
 */
export interface ResponseShape {
  responseId: string;
  assertionId: string;
  now: Date;
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  responseIssuer: string | null;
  assertionIssuer: string | null;
  destination: string | null;
  inResponseTo: string | null;
  /** SubjectConfirmationData InResponseTo; defaults to `inResponseTo`. */
  confirmationInResponseTo: string | null;
  recipient: string | null;
  confirmationMethod: string;
  /** Seconds from `now`. */
  confirmationLifetime: number;
  conditionsNotBefore: number | null;
  conditionsLifetime: number | null;
  audiences: string[] | null;
  extraConditions: string;
  status: string;
  statusDetail: string | null;
  /** Raw XML inside the NameID element (so tests can put comments there). */
  nameIdXml: string;
  nameIdFormat: string | null;
  authnContextClassRef: string | null;
  authnStatement: boolean;
  attributes: Record<string, string | string[]>;
}

const SAML_TIME = (date: Date) => date.toISOString();
const after = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);
export const newId = () => `_${randomBytes(16).toString('hex')}`;
export const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

export function defaultShape(
  base: Pick<ResponseShape, 'idpEntityId' | 'spEntityId' | 'acsUrl'>,
): ResponseShape {
  return {
    responseId: newId(),
    assertionId: newId(),
    now: new Date(),
    responseIssuer: base.idpEntityId,
    assertionIssuer: base.idpEntityId,
    destination: base.acsUrl,
    inResponseTo: null,
    confirmationInResponseTo: null,
    recipient: base.acsUrl,
    confirmationMethod: BEARER,
    confirmationLifetime: 300,
    conditionsNotBefore: -5,
    conditionsLifetime: 300,
    audiences: [base.spEntityId],
    extraConditions: '',
    status: SUCCESS,
    statusDetail: null,
    nameIdXml: 'ada@example.test',
    nameIdFormat: EMAIL_FORMAT,
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
    authnStatement: true,
    attributes: {},
    ...base,
  };
}

const attr = (name: string, value: string | null) => (value === null ? '' : ` ${name}="${value}"`);

export function assertionXml(shape: ResponseShape): string {
  const { now } = shape;
  const confirmationInResponseTo = shape.confirmationInResponseTo ?? shape.inResponseTo;
  const conditionsAttributes =
    attr(
      'NotBefore',
      shape.conditionsNotBefore === null ? null : SAML_TIME(after(now, shape.conditionsNotBefore)),
    ) +
    attr(
      'NotOnOrAfter',
      shape.conditionsLifetime === null ? null : SAML_TIME(after(now, shape.conditionsLifetime)),
    );
  const audiences =
    shape.audiences === null
      ? ''
      : `<saml:AudienceRestriction>${shape.audiences.map((a) => `<saml:Audience>${a}</saml:Audience>`).join('')}</saml:AudienceRestriction>`;
  const attributes = Object.entries(shape.attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${name}">${(Array.isArray(values) ? values : [values])
          .map((value) => `<saml:AttributeValue>${value}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${shape.assertionId}" Version="2.0" IssueInstant="${SAML_TIME(now)}">` +
    (shape.assertionIssuer === null ? '' : `<saml:Issuer>${shape.assertionIssuer}</saml:Issuer>`) +
    `<saml:Subject><saml:NameID${attr('Format', shape.nameIdFormat)}>${shape.nameIdXml}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${shape.confirmationMethod}"><saml:SubjectConfirmationData` +
    attr('InResponseTo', confirmationInResponseTo) +
    attr('NotOnOrAfter', SAML_TIME(after(now, shape.confirmationLifetime))) +
    attr('Recipient', shape.recipient) +
    `/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions${conditionsAttributes}>${audiences}${shape.extraConditions}</saml:Conditions>` +
    (shape.authnStatement
      ? `<saml:AuthnStatement AuthnInstant="${SAML_TIME(after(now, -30))}" SessionIndex="${newId()}"><saml:AuthnContext>` +
        (shape.authnContextClassRef === null
          ? ''
          : `<saml:AuthnContextClassRef>${shape.authnContextClassRef}</saml:AuthnContextClassRef>`) +
        `</saml:AuthnContext></saml:AuthnStatement>`
      : '') +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`
  );
}

/** The Response around an assertion (plain, signed or encrypted XML, as given). */
export function responseXml(shape: ResponseShape, assertion: string): string {
  const detail = shape.statusDetail === null ? '' : `<samlp:StatusCode Value="${shape.statusDetail}"/>`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${shape.responseId}" Version="2.0" IssueInstant="${SAML_TIME(shape.now)}"` +
    attr('Destination', shape.destination) +
    attr('InResponseTo', shape.inResponseTo) +
    '>' +
    (shape.responseIssuer === null ? '' : `<saml:Issuer>${shape.responseIssuer}</saml:Issuer>`) +
    `<samlp:Status><samlp:StatusCode Value="${shape.status}">${detail}</samlp:StatusCode></samlp:Status>` +
    assertion +
    `</samlp:Response>`
  );
}

export const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
