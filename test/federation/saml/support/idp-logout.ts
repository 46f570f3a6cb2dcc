import { sign } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { fixtureKey, IDP_ENTITY_ID } from './saml-context.js';
import type { SigningKey } from './xml-signing.js';

export const IDP_SLO_URL = 'https://idp.example.test/slo';
const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';

/** What a test varies in a message the IdP sends to the SP's SingleLogoutService. */
export interface IdpMessageShape {
  id?: string;
  version?: string;
  issuer?: string | null;
  destination?: string | null;
  issueInstant?: Date;
  notOnOrAfter?: Date | null;
  /** LogoutRequest. */
  nameId?: string;
  nameIdFormat?: string;
  sessionIndexes?: string[];
  /** LogoutResponse. */
  inResponseTo?: string | null;
  status?: string;
}

const attr = (name: string, value: string | null | undefined) =>
  value === null || value === undefined ? '' : ` ${name}="${value}"`;

export function idpLogoutRequest(shape: IdpMessageShape & { destination: string | null }): string {
  const now = shape.issueInstant ?? new Date();
  const indexes = (shape.sessionIndexes ?? ['idx-1']).map(
    (index) => `<samlp:SessionIndex>${index}</samlp:SessionIndex>`,
  );
  return (
    `<samlp:LogoutRequest xmlns:samlp="${P}" xmlns:saml="${A}"${attr('ID', shape.id ?? '_req-1')}` +
    `${attr('Version', shape.version ?? '2.0')}${attr('IssueInstant', now.toISOString())}` +
    `${attr('Destination', shape.destination)}` +
    `${attr('NotOnOrAfter', shape.notOnOrAfter === null ? null : (shape.notOnOrAfter ?? new Date(now.getTime() + 300_000)).toISOString())}>` +
    (shape.issuer === null ? '' : `<saml:Issuer>${shape.issuer ?? IDP_ENTITY_ID}</saml:Issuer>`) +
    `<saml:NameID${attr('Format', shape.nameIdFormat)}>${shape.nameId ?? 'okta|ada'}</saml:NameID>${indexes.join('')}` +
    `</samlp:LogoutRequest>`
  );
}

export function idpLogoutResponse(shape: IdpMessageShape & { destination: string | null }): string {
  const now = shape.issueInstant ?? new Date();
  return (
    `<samlp:LogoutResponse xmlns:samlp="${P}" xmlns:saml="${A}"${attr('ID', shape.id ?? '_resp-1')}` +
    `${attr('Version', shape.version ?? '2.0')}${attr('IssueInstant', now.toISOString())}` +
    `${attr('Destination', shape.destination)}${attr('InResponseTo', shape.inResponseTo)}>` +
    (shape.issuer === null ? '' : `<saml:Issuer>${shape.issuer ?? IDP_ENTITY_ID}</saml:Issuer>`) +
    `<samlp:Status><samlp:StatusCode Value="${shape.status ?? SUCCESS}"/></samlp:Status>` +
    `</samlp:LogoutResponse>`
  );
}

export interface SendOptions {
  key?: SigningKey | null;
  sha1?: boolean;
  relayState?: string;
}

/** HTTP-Redirect: the raw query of the SP's SLO URL, signed over its encoded octets (Bindings §3.4.4.1). */
export function redirectQuery(xml: string, options: SendOptions = {}): string {
  const parameter = xml.includes(':LogoutRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const pairs = [`${parameter}=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`];
  if (options.relayState) pairs.push(`RelayState=${encodeURIComponent(options.relayState)}`);
  const key = options.key === undefined ? fixtureKey('idp') : options.key;
  if (!key) return pairs.join('&');
  pairs.push(`SigAlg=${encodeURIComponent(options.sha1 ? RSA_SHA1 : RSA_SHA256)}`);
  const signature = sign(options.sha1 ? 'sha1' : 'sha256', Buffer.from(pairs.join('&')), key.privateKey);
  return `${pairs.join('&')}&Signature=${encodeURIComponent(signature.toString('base64'))}`;
}

/** HTTP-POST: the form, the root signed with an enveloped signature after its Issuer. */
export function postForm(xml: string, options: SendOptions = {}): Record<string, string> {
  const parameter = xml.includes(':LogoutRequest') ? 'SAMLRequest' : 'SAMLResponse';
  const key = options.key === undefined ? fixtureKey('idp') : options.key;
  const signed = key ? signRoot(xml, key, options.sha1 ?? false) : xml;
  return {
    [parameter]: Buffer.from(signed).toString('base64'),
    ...(options.relayState ? { RelayState: options.relayState } : {}),
  };
}

function signRoot(xml: string, key: SigningKey, sha1: boolean): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: sha1 ? RSA_SHA1 : RSA_SHA256,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: '/*',
    transforms: [
      'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
      'http://www.w3.org/2001/10/xml-exc-c14n#',
    ],
    digestAlgorithm: sha1
      ? 'http://www.w3.org/2000/09/xmldsig#sha1'
      : 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  const hasIssuer = /<saml:Issuer>/.test(xml);
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: hasIssuer
      ? { reference: "/*/*[local-name(.)='Issuer']", action: 'after' }
      : { reference: '/*', action: 'prepend' },
  });
  return sig.getSignedXml();
}

/** The XML of a message the SP sent (a redirect URL or a POST form). */
export function sentXml(
  message: { binding: 'redirect'; url: string } | { binding: 'post'; fields: Record<string, string> },
) {
  const parameter = (params: URLSearchParams | Record<string, string>, name: string) =>
    params instanceof URLSearchParams ? params.get(name) : params[name];
  const source = message.binding === 'redirect' ? new URL(message.url).searchParams : message.fields;
  const encoded = parameter(source, 'SAMLRequest') ?? parameter(source, 'SAMLResponse');
  const raw = Buffer.from(encoded!, 'base64');
  const xml = message.binding === 'redirect' ? inflateRawSync(raw).toString('utf8') : raw.toString('utf8');
  return { xml, document: new DOMParser().parseFromString(xml, 'text/xml').documentElement! };
}
