import type { SamlSettings } from '../../domain/organizations/connection-input.js';
import { uniquePems } from './certificates.js';
import { IdpMetadataError, parseIdpMetadata } from './idp-metadata.js';
import { SamlRejection } from './saml-rejection.js';
import { readStoredMetadata } from './stored-metadata.js';

/** The upstream IdP of one connection, from its settings and its (fetched or pasted) metadata. */
export interface IdpSource {
  entityId: string;
  ssoUrl: string;
  /** Certificates a response may be signed with now. */
  certificates: string[];
  /** Certificates of the metadata before the last change, accepted until a current one verifies. */
  previousCertificates: string[];
}

/**
 * Settings an admin wrote win over metadata, field by field (an admin may pin the entity ID or
 * the certificates of an IdP whose metadata is wrong). Fetched metadata (the refresh writes it to
 * upstreamMetadata) comes before pasted XML, which is parsed on use.
 */
export function resolveIdp(
  settings: SamlSettings,
  upstreamMetadata: Record<string, unknown> | null,
): IdpSource {
  const published = readStoredMetadata(upstreamMetadata) ?? pastedMetadata(settings);
  const entityId = settings.idp_entity_id ?? published?.entityId;
  const ssoUrl = settings.idp_sso_url ?? published?.ssoRedirectUrl;
  const certificates = settings.idp_certificates ?? published?.certificates;
  if (!entityId || !ssoUrl || !certificates || certificates.length === 0) {
    throw new SamlRejection(
      'idp_unavailable',
      settings.idp_metadata_url
        ? 'the IdP metadata has not been fetched yet'
        : 'the connection names no IdP entity ID, SSO URL and certificate',
    );
  }
  const current = uniquePems(certificates);
  // Rollover leftovers only make sense next to the metadata they came from.
  const previous = settings.idp_certificates ? [] : uniquePems(published?.previousCertificates ?? []);
  return {
    entityId,
    ssoUrl,
    certificates: current,
    previousCertificates: previous.filter((pem) => !current.includes(pem)),
  };
}

function pastedMetadata(settings: SamlSettings) {
  if (!settings.idp_metadata_xml) return undefined;
  try {
    return { ...parseIdpMetadata(settings.idp_metadata_xml), previousCertificates: [] };
  } catch (error) {
    if (error instanceof IdpMetadataError) throw new SamlRejection('idp_unavailable', error.message);
    throw error;
  }
}
