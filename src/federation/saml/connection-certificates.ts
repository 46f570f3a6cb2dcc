import type { ConnectionCertificate } from '../../domain/connection-health/certificate-expiry.js';
import { samlSettingsSchema } from '../../domain/organizations/connection-input.js';
import { certificateWarnings } from './certificate-warnings.js';
import { resolveIdp } from './idp-source.js';

/**
 * The IdP signing certificates a SAML connection trusts now (its pinned ones, or its fetched or
 * pasted metadata's, with those kept from before a rollover), for the health page and the expiry
 * warnings. [] when the connection names no usable IdP yet (metadata not fetched).
 */
export function connectionCertificates(connection: {
  type: string;
  settings: Record<string, unknown>;
  upstreamMetadata: Record<string, unknown> | null;
}): ConnectionCertificate[] {
  if (connection.type !== 'saml') return [];
  const settings = samlSettingsSchema.safeParse(connection.settings);
  if (!settings.success) return [];
  let idp;
  try {
    idp = resolveIdp(settings.data, connection.upstreamMetadata);
  } catch {
    return [];
  }
  return certificateWarnings(idp, new Date(0), Number.POSITIVE_INFINITY).map(
    ({ fingerprint, subject, notAfter, state }) => ({ fingerprint, subject, notAfter, state }),
  );
}
