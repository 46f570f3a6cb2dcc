import { uniquePems } from './certificates.js';
import type { ParsedIdpMetadata } from './idp-metadata.js';
import { readStoredMetadata, toColumn, type StoredIdpMetadata } from './stored-metadata.js';

// Enough for an IdP that publishes next year's key early and rolls twice before anyone signs in.
const MAX_PREVIOUS = 5;

/**
 * The upstreamMetadata to store after a fetch. Certificates the previous metadata listed and this
 * one drops are kept as `previousCertificates`: many IdPs publish the new key and switch to it in
 * one step, and the responses of users mid-login (or of a lagging IdP node) still carry the old
 * signature. They go once a response verifies with a current one (settleCertificateRollover).
 */
export function nextIdpMetadata(
  previous: Record<string, unknown> | null,
  fetched: ParsedIdpMetadata,
  fetchedAt: Date,
): StoredIdpMetadata {
  const before = readStoredMetadata(previous);
  const certificates = uniquePems(fetched.certificates);
  const dropped = uniquePems([
    ...(before?.certificates ?? []),
    ...(before?.previousCertificates ?? []),
  ]).filter((pem) => !certificates.includes(pem));
  return {
    entityId: fetched.entityId,
    ssoRedirectUrl: fetched.ssoRedirectUrl,
    certificates,
    previousCertificates: dropped.slice(0, MAX_PREVIOUS),
    fetchedAt: fetchedAt.toISOString(),
    ...(fetched.validUntil ? { validUntil: fetched.validUntil } : {}),
    singleLogoutServices: fetched.singleLogoutServices,
  };
}

/**
 * After a response verified with a current certificate: the metadata without the previous
 * certificates, ready to persist; undefined when there is nothing to drop.
 */
export function settleCertificateRollover(
  metadata: Record<string, unknown> | null,
): Record<string, unknown> | undefined {
  const stored = readStoredMetadata(metadata);
  if (!stored || stored.previousCertificates.length === 0) return undefined;
  return toColumn({ ...stored, previousCertificates: [] });
}
