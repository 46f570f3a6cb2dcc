import { isUpstreamUrl } from '../../domain/organizations/connection-input.js';
import { readCertificate, uniquePems } from './certificates.js';
import { attribute, childElements, NS, parseXml, textOf } from './xml-document.js';

/** What Gatehouse needs from an IdP's metadata (SAML 2.0 Metadata §2.4.3 IDPSSODescriptor). */
export interface ParsedIdpMetadata {
  entityId: string;
  /** The SingleSignOnService location for the HTTP-Redirect binding (where AuthnRequests go). */
  ssoRedirectUrl: string;
  /** Signing certificates, PEM, in document order. */
  certificates: string[];
  /** ISO date after which the metadata must not be relied upon (Metadata §2.3.1), when it says. */
  validUntil?: string | undefined;
  /** The SingleLogoutService endpoints in the HTTP-Redirect and HTTP-POST bindings, in document order. */
  singleLogoutServices: LogoutService[];
}

/** A SingleLogoutService (Metadata §2.2.2 EndpointType): responses go to ResponseLocation when set. */
export interface LogoutService {
  binding: 'redirect' | 'post';
  location: string;
  responseLocation?: string | undefined;
}

export class IdpMetadataError extends Error {
  override name = 'IdpMetadataError';
}

/** Metadata documents of real IdPs are a few KB; a federation aggregate is not what we read. */
export const MAX_METADATA_BYTES = 1_000_000;

const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/**
 * Reads an IdP's metadata: the entity ID, the HTTP-Redirect SSO endpoint and the signing
 * certificates. A document with a DTD, over 1 MB, or without those three is refused.
 */
export function parseIdpMetadata(xml: string): ParsedIdpMetadata {
  let document: Document;
  try {
    document = parseXml(xml, MAX_METADATA_BYTES);
  } catch (error) {
    throw new IdpMetadataError(`IdP metadata: ${(error as Error).message}`);
  }
  const root = document.documentElement;
  const entity = entityDescriptor(root);
  const entityId = attribute(entity, 'entityID');
  if (!entityId || entityId.length > 1024) throw new IdpMetadataError('IdP metadata: no entityID');
  const idp = childElements(entity, NS.metadata, 'IDPSSODescriptor').find((descriptor) =>
    (attribute(descriptor, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol),
  );
  if (!idp) throw new IdpMetadataError('IdP metadata: no SAML 2.0 IDPSSODescriptor');
  const validUntil = earliest([attribute(root, 'validUntil'), attribute(entity, 'validUntil')]);
  return {
    entityId,
    ssoRedirectUrl: redirectLocation(idp),
    certificates: signingCertificates(idp),
    ...(validUntil ? { validUntil } : {}),
    singleLogoutServices: logoutServices(idp),
  };
}

/** The document's EntityDescriptor, or the only one with an IdP role inside an EntitiesDescriptor. */
function entityDescriptor(root: Element): Element {
  if (root.namespaceURI === NS.metadata && root.localName === 'EntityDescriptor') return root;
  if (root.namespaceURI === NS.metadata && root.localName === 'EntitiesDescriptor') {
    const idps = childElements(root, NS.metadata, 'EntityDescriptor').filter(
      (entity) => childElements(entity, NS.metadata, 'IDPSSODescriptor').length > 0,
    );
    if (idps.length === 1) return idps[0]!;
    throw new IdpMetadataError(`IdP metadata: ${idps.length} identity providers, expected exactly one`);
  }
  throw new IdpMetadataError('IdP metadata: the root is not an EntityDescriptor');
}

function redirectLocation(idp: Element): string {
  const service = childElements(idp, NS.metadata, 'SingleSignOnService').find(
    (candidate) => attribute(candidate, 'Binding') === REDIRECT_BINDING,
  );
  const location = service && attribute(service, 'Location');
  if (!location) throw new IdpMetadataError('IdP metadata: no HTTP-Redirect SingleSignOnService');
  if (!isUpstreamUrl(location)) {
    throw new IdpMetadataError('IdP metadata: the SSO location is not an https URL');
  }
  return location;
}

/**
 * Single Logout is optional (SAML Conformance §3), so an endpoint in another binding (SOAP,
 * Artifact) or at a URL Gatehouse would not send a browser to is left out, not an error.
 */
function logoutServices(idp: Element): LogoutService[] {
  const bindings = new Map([
    [REDIRECT_BINDING, 'redirect'],
    [POST_BINDING, 'post'],
  ] as const);
  return childElements(idp, NS.metadata, 'SingleLogoutService').flatMap((service) => {
    const binding = bindings.get(attribute(service, 'Binding') as typeof REDIRECT_BINDING);
    const location = attribute(service, 'Location');
    const responseLocation = attribute(service, 'ResponseLocation');
    if (!binding || !location || !isUpstreamUrl(location)) return [];
    if (responseLocation !== undefined && !isUpstreamUrl(responseLocation)) return [];
    return [{ binding, location, ...(responseLocation ? { responseLocation } : {}) }];
  });
}

/** Metadata §2.4.1.1: a KeyDescriptor without `use` serves both signing and encryption. */
function signingCertificates(idp: Element): string[] {
  const found: string[] = [];
  for (const descriptor of childElements(idp, NS.metadata, 'KeyDescriptor')) {
    const use = attribute(descriptor, 'use');
    if (use !== undefined && use !== 'signing') continue;
    for (const keyInfo of childElements(descriptor, NS.dsig, 'KeyInfo')) {
      for (const data of childElements(keyInfo, NS.dsig, 'X509Data')) {
        for (const certificate of childElements(data, NS.dsig, 'X509Certificate')) {
          found.push(textOf(certificate));
        }
      }
    }
  }
  const certificates = uniquePems(found.filter((value) => readCertificate(value) !== undefined));
  if (certificates.length === 0) throw new IdpMetadataError('IdP metadata: no signing certificate');
  return certificates;
}

function earliest(values: (string | undefined)[]): string | undefined {
  const times = values
    .filter((value): value is string => value !== undefined)
    .map((value) => Date.parse(value))
    .filter((time) => !Number.isNaN(time));
  return times.length === 0 ? undefined : new Date(Math.min(...times)).toISOString();
}
