import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import { XMLSerializer } from '@xmldom/xmldom';
import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { childElements, NS, parseXml } from './xml-document.js';

export interface SpMetadataInput {
  spEntityId: string;
  acsUrl: string;
  /** The SP's SingleLogoutService URL, when the connection does Single Logout. */
  sloUrl?: string | undefined;
  settings: SamlSettings;
  spCertificate: string;
  spPrivateKey: string;
}

const BINDINGS = [
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
];

/**
 * The SP metadata an IdP admin imports (SAML Metadata §2.4.4 SPSSODescriptor): the entity ID,
 * one ACS for HTTP-POST, the connection's certificate for encryption (always: an IdP may encrypt
 * whether or not the connection requires it) and for signing when AuthnRequests or logout
 * messages are signed, AuthnRequestsSigned, WantAssertionsSigned when the connection requires
 * assertion signatures, and with Single Logout one SingleLogoutService per browser binding.
 */
export function spMetadataXml(input: SpMetadataInput): string {
  const { settings } = input;
  const signs = settings.sign_authn_requests || input.sloUrl !== undefined;
  const xml = generateServiceProviderMetadata({
    issuer: input.spEntityId,
    callbackUrl: input.acsUrl,
    decryptionPvk: input.spPrivateKey,
    decryptionCert: input.spCertificate,
    ...(signs
      ? {
          privateKey: input.spPrivateKey,
          publicCerts: input.spCertificate,
          signatureAlgorithm: 'sha256' as const,
        }
      : {}),
    wantAssertionsSigned:
      settings.signature_required_on === 'assertion' || settings.signature_required_on === 'both',
    identifierFormat: null,
  });
  return input.sloUrl === undefined ? xml : withSingleLogout(xml, input.sloUrl, settings.sign_authn_requests);
}

/**
 * node-saml publishes one HTTP-POST SingleLogoutService at most and ties the signing key to
 * AuthnRequestsSigned; Gatehouse answers in both bindings and signs logout messages either way.
 * Metadata §2.4.2: SingleLogoutService elements come before the AssertionConsumerService ones.
 */
function withSingleLogout(xml: string, sloUrl: string, authnRequestsSigned: boolean): string {
  const document = parseXml(xml, 1_000_000);
  const descriptor = childElements(document.documentElement, NS.metadata, 'SPSSODescriptor')[0]!;
  descriptor.setAttribute('AuthnRequestsSigned', String(authnRequestsSigned));
  const acs = childElements(descriptor, NS.metadata, 'AssertionConsumerService')[0] ?? null;
  for (const binding of BINDINGS) {
    const service = document.createElementNS(NS.metadata, 'SingleLogoutService');
    service.setAttribute('Binding', binding);
    service.setAttribute('Location', sloUrl);
    descriptor.insertBefore(service, acs);
    descriptor.insertBefore(document.createTextNode('\n    '), acs);
  }
  return new XMLSerializer().serializeToString(document);
}
