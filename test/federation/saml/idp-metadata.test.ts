import { describe, expect, it } from '@jest/globals';
import { IdpMetadataError, parseIdpMetadata } from '../../../src/federation/saml/index.js';
import { samlpMetadata } from './support/samlp-idp.js';
import { fixtureKey, IDP_ENTITY_ID } from './support/saml-context.js';

const derOf = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s+/g, '');
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

/** A minimal IdP EntityDescriptor with what the tests vary. */
function metadata({
  sso = '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>',
  keys = [
    `<KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${derOf(fixtureKey('idp').certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`,
  ],
  validUntil = '',
} = {}) {
  return `<EntityDescriptor xmlns="${MD}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${IDP_ENTITY_ID}"${validUntil}><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys.join('')}${sso}</IDPSSODescriptor></EntityDescriptor>`;
}

describe('IdP metadata', () => {
  it("reads samlp's metadata: entity ID, HTTP-Redirect SSO URL, signing certificate", async () => {
    const parsed = parseIdpMetadata(await samlpMetadata('https://idp.example.test/saml/sso'));
    expect(parsed).toEqual({
      entityId: IDP_ENTITY_ID,
      ssoRedirectUrl: 'https://idp.example.test/saml/sso',
      certificates: [expect.stringContaining('-----BEGIN CERTIFICATE-----')],
      singleLogoutServices: [{ binding: 'redirect', location: 'https://idp.example.test/logout' }],
    });
    expect(derOf(parsed.certificates[0]!)).toBe(derOf(fixtureKey('idp').certificate));
  });

  it('keeps every signing certificate (and keys without `use`), skips encryption-only ones, and reads validUntil', () => {
    const key = (name: 'idp' | 'idp-next' | 'attacker', use: string) =>
      `<KeyDescriptor${use}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${derOf(fixtureKey(name).certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></KeyDescriptor>`;
    const parsed = parseIdpMetadata(
      metadata({
        keys: [key('idp', ' use="signing"'), key('idp-next', ''), key('attacker', ' use="encryption"')],
        validUntil: ' validUntil="2099-01-01T00:00:00Z"',
      }),
    );
    expect(parsed.certificates.map(derOf)).toEqual([
      derOf(fixtureKey('idp').certificate),
      derOf(fixtureKey('idp-next').certificate),
    ]);
    expect(parsed.validUntil).toBe('2099-01-01T00:00:00.000Z');
  });

  it('picks the one IdP of an EntitiesDescriptor', () => {
    const inner = metadata().replace(`xmlns="${MD}" `, '');
    const wrapped = `<EntitiesDescriptor xmlns="${MD}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#">${inner}</EntitiesDescriptor>`;
    expect(parseIdpMetadata(wrapped).entityId).toBe(IDP_ENTITY_ID);
  });

  it.each([
    ['a DTD', `<!DOCTYPE x [<!ENTITY a "b">]>${metadata()}`],
    ['not metadata', '<html/>'],
    ['no HTTP-Redirect SSO endpoint', metadata({ sso: '' })],
    [
      'a plain-http SSO endpoint',
      metadata({
        sso: metadata()
          .match(/<SingleSignOnService[^>]*>/)![0]
          .replace('https://', 'http://'),
      }),
    ],
    ['no signing certificate', metadata({ keys: [] })],
    ['broken XML', '<EntityDescriptor'],
    [
      'more than 1 MB',
      metadata().replace('</IDPSSODescriptor>', `<!--${'x'.repeat(1_000_001)}--></IDPSSODescriptor>`),
    ],
  ])('refuses metadata with %s', (_name, xml) => {
    expect(() => parseIdpMetadata(xml)).toThrow(IdpMetadataError);
  });
});
