import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { IdpMetadataError, parseIdpMetadata, type LogoutService } from './idp-metadata.js';
import { resolveIdp } from './idp-source.js';
import { SamlRejection } from './saml-rejection.js';
import { readStoredMetadata } from './stored-metadata.js';

export type SamlBinding = LogoutService['binding'];

/** One of the IdP's SingleLogoutService endpoints (Metadata §2.2.2). */
export interface LogoutEndpoint {
  binding: SamlBinding;
  /** Where requests go. */
  location: string;
  /** Where responses go: ResponseLocation when the metadata names one, else Location. */
  responseLocation: string;
}

/** The IdP of a connection that does Single Logout, as logout messages need it. */
export interface IdpLogout {
  entityId: string;
  /** Every certificate a message may be signed with (the rollover's previous ones too). */
  certificates: string[];
  /** Where LogoutRequests go, in the binding the connection prefers. */
  request: LogoutEndpoint;
  /** The endpoint of each binding the IdP offers, to answer in the binding it used. */
  endpoints: Partial<Record<SamlBinding, LogoutEndpoint>>;
}

/**
 * The connection's Single Logout, or undefined when it has none: switched off (single_logout:
 * false), or no SingleLogoutService in the IdP's metadata and no idp_slo_url. Throws
 * SamlRejection `idp_unavailable` when the IdP itself is not known yet.
 */
export function resolveIdpLogout(
  settings: SamlSettings,
  upstreamMetadata: Record<string, unknown> | null,
): IdpLogout | undefined {
  return settings.single_logout === false ? undefined : idpLogoutService(settings, upstreamMetadata);
}

/**
 * The IdP's SingleLogoutService whether or not the connection uses it (a request arriving at a
 * connection that switched Single Logout off still gets its answer there). An admin's
 * idp_slo_url (with slo_binding, default HTTP-Redirect) wins over the metadata, like the other
 * idp_* settings.
 */
export function idpLogoutService(
  settings: SamlSettings,
  upstreamMetadata: Record<string, unknown> | null,
): IdpLogout | undefined {
  const preferred = settings.slo_binding ?? 'redirect';
  const endpoints = settings.idp_slo_url
    ? { [preferred]: endpointOf(preferred, settings.idp_slo_url) }
    : publishedEndpoints(settings, upstreamMetadata);
  const request = endpoints[preferred] ?? endpoints.redirect ?? endpoints.post;
  if (!request) return undefined;
  const idp = resolveIdp(settings, upstreamMetadata);
  return {
    entityId: idp.entityId,
    certificates: [...idp.certificates, ...idp.previousCertificates],
    request,
    endpoints,
  };
}

/** Whether the connection does Single Logout now; false also while its IdP is not known yet. */
export function singleLogoutEnabled(
  settings: SamlSettings,
  upstreamMetadata: Record<string, unknown> | null,
): boolean {
  try {
    return resolveIdpLogout(settings, upstreamMetadata) !== undefined;
  } catch (error) {
    if (error instanceof SamlRejection) return false;
    throw error;
  }
}

const endpointOf = (binding: SamlBinding, location: string, responseLocation?: string): LogoutEndpoint => ({
  binding,
  location,
  responseLocation: responseLocation ?? location,
});

/** The first endpoint of each binding in the metadata (fetched, else pasted). */
function publishedEndpoints(
  settings: SamlSettings,
  upstreamMetadata: Record<string, unknown> | null,
): Partial<Record<SamlBinding, LogoutEndpoint>> {
  const services = readStoredMetadata(upstreamMetadata)?.singleLogoutServices ?? pastedServices(settings);
  const endpoints: Partial<Record<SamlBinding, LogoutEndpoint>> = {};
  for (const service of services) {
    endpoints[service.binding] ??= endpointOf(service.binding, service.location, service.responseLocation);
  }
  return endpoints;
}

function pastedServices(settings: SamlSettings): LogoutService[] {
  if (!settings.idp_metadata_xml) return [];
  try {
    return parseIdpMetadata(settings.idp_metadata_xml).singleLogoutServices;
  } catch (error) {
    if (error instanceof IdpMetadataError) return [];
    throw error;
  }
}
