import { inflateRawSync } from 'node:zlib';
import { createVerify, X509Certificate } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { DOMParser } from '@xmldom/xmldom';
import { expectRejection } from './support/expect-rejection.js';
import { samlpMetadata } from './support/samlp-idp.js';
import { CONNECTION_ID, IDP_SSO_URL, ISSUER, samlConnection, testSp } from './support/saml-context.js';

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const certificateIn = (descriptor: Element) =>
  descriptor.getElementsByTagNameNS(DS, 'X509Certificate')[0]!.textContent!.replace(/\s+/g, '');
const derOf = (pem: string) => new X509Certificate(pem).raw.toString('base64');

describe('SAML SP metadata', () => {
  it('names the entity ID, one HTTP-POST ACS and the certificate for encryption and signing', () => {
    const { sp } = testSp();
    const connection = samlConnection({ sign_authn_requests: true });
    const doc = parse(sp.metadata(connection));
    const entity = doc.documentElement;
    expect(entity.getAttribute('entityID')).toBe(`${ISSUER}/sso/saml/${CONNECTION_ID}`);
    const descriptor = doc.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0]!;
    expect(descriptor.getAttribute('AuthnRequestsSigned')).toBe('true');
    expect(descriptor.getAttribute('WantAssertionsSigned')).toBe('true');
    const acs = Array.from(doc.getElementsByTagNameNS(MD, 'AssertionConsumerService'));
    expect(acs.map((element) => [element.getAttribute('Binding'), element.getAttribute('Location')])).toEqual(
      [['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', `${ISSUER}/sso/saml/${CONNECTION_ID}/acs`]],
    );
    const keys = Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor'));
    expect(keys.map((key) => key.getAttribute('use')).sort()).toEqual(['encryption', 'signing']);
    for (const key of keys) expect(certificateIn(key)).toBe(derOf(connection.spCertificate));
  });

  it('says what the connection does: unsigned requests, response signatures', () => {
    const { sp } = testSp();
    const doc = parse(sp.metadata(samlConnection({ signature_required_on: 'response' })));
    const descriptor = doc.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0]!;
    expect(descriptor.getAttribute('AuthnRequestsSigned')).toBe('false');
    expect(descriptor.hasAttribute('WantAssertionsSigned')).toBe(false);
    const keys = Array.from(doc.getElementsByTagNameNS(MD, 'KeyDescriptor'));
    expect(keys.map((key) => key.getAttribute('use'))).toEqual(['encryption']);
  });
});

describe('SAML AuthnRequest (HTTP-Redirect)', () => {
  const requestOf = (url: string) =>
    parse(
      inflateRawSync(Buffer.from(new URL(url).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8'),
    );

  it('asks the IdP for a response at the ACS URL, under a fresh request ID', async () => {
    const t = testSp();
    const { url, requestId } = await t.sp.startLogin(samlConnection(), 'relay-1');
    expect(url.startsWith(`${IDP_SSO_URL}?`)).toBe(true);
    expect(new URL(url).searchParams.get('RelayState')).toBe('relay-1');
    expect(new URL(url).searchParams.has('Signature')).toBe(false);
    const request = requestOf(url).documentElement;
    expect(request.namespaceURI).toBe(P);
    expect(request.localName).toBe('AuthnRequest');
    expect(request.getAttribute('ID')).toBe(requestId);
    expect(request.getAttribute('Destination')).toBe(IDP_SSO_URL);
    expect(request.getAttribute('AssertionConsumerServiceURL')).toBe(t.sp.acsUrl(CONNECTION_ID));
    expect(request.getAttribute('ProtocolBinding')).toBe('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(request.getElementsByTagNameNS(A, 'Issuer')[0]!.textContent).toBe(t.sp.spEntityId(CONNECTION_ID));
    expect(request.getElementsByTagNameNS(P, 'RequestedAuthnContext')).toHaveLength(0);
    expect(requestId).toMatch(/^_[0-9a-f]{40}$/);
  });

  it('signs the query with RSA-SHA256 and the SP key (Bindings §3.4.4.1)', async () => {
    const { sp } = testSp();
    const connection = samlConnection({ sign_authn_requests: true });
    const { url } = await sp.startLogin(connection, 'relay-2');
    const query = new URL(url).search.slice(1);
    const signed = query
      .split('&')
      .filter((pair) => /^(SAMLRequest|RelayState|SigAlg)=/.test(pair))
      .join('&');
    const signature = new URL(url).searchParams.get('Signature')!;
    const verifier = createVerify('RSA-SHA256').update(signed);
    expect(verifier.verify(connection.spCertificate, signature, 'base64')).toBe(true);
  });

  it('refuses a RelayState over 80 bytes (Bindings §3.4.3)', async () => {
    const { sp } = testSp();
    await expect(sp.startLogin(samlConnection(), 'x'.repeat(81))).rejects.toThrow(RangeError);
  });

  it('uses pasted IdP metadata, and reports a metadata URL not fetched yet', async () => {
    const { sp } = testSp();
    const pasted = samlConnection({
      idp_entity_id: undefined,
      idp_sso_url: undefined,
      idp_certificates: undefined,
      idp_metadata_xml: await samlpMetadata('https://idp.example.test/pasted/sso'),
    });
    expect((await sp.startLogin(pasted, 'p')).url).toMatch(
      /^https:\/\/idp\.example\.test\/pasted\/sso\?SAMLRequest=/,
    );
    const unfetched = { ...samlConnection({}, {}), upstreamMetadata: null };
    await expectRejection(sp.startLogin(unfetched, 'u'), 'idp_unavailable');
  });
});
