import type { ConnectionRecord } from '../ports/connections.js';
import type { ConnectionHealthRecord } from '../ports/connection-health.js';
import { BANNER_DAYS, daysLeft, type ConnectionCertificate } from './certificate-expiry.js';
import { settingsDigest } from './settings-digest.js';

/** The IdP certificates of a connection (federation/saml/connection-certificates.ts). */
export type CertificatesOf = (connection: ConnectionRecord) => ConnectionCertificate[];

export interface CertificateHealth extends ConnectionCertificate {
  daysLeft: number;
  expired: boolean;
  /** Within the banner's 30 days (or expired). */
  expiringSoon: boolean;
}

/** How one connection is doing, for the portal's health page and the admin API. */
export interface ConnectionHealthView {
  connectionId: string;
  key: string;
  type: ConnectionRecord['type'];
  preset: string | null;
  enabled: boolean;
  certificates: CertificateHealth[];
  /** SAML with a metadata URL: the URL, the last successful fetch and the last error since. */
  metadata: { url: string; refreshedAt: Date | null; error: string | null } | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  lastFailureReason: string | null;
  lastTestedAt: Date | null;
  /** Whether the last test ran with the connection's settings as they are now (activation needs it). */
  testedCurrentSettings: boolean;
}

/** Whether the last successful test ran with exactly the connection's current protocol settings. */
export const testedCurrentSettings = (
  connection: ConnectionRecord,
  health: ConnectionHealthRecord | undefined,
) =>
  Boolean(
    health?.lastTestedAt &&
    health.lastAttributes?.source === 'test' &&
    health.lastAttributes.settingsDigest === settingsDigest(connection),
  );

export function healthView(
  connection: ConnectionRecord,
  health: ConnectionHealthRecord | undefined,
  certificates: readonly ConnectionCertificate[],
  now: Date,
): ConnectionHealthView {
  const metadataUrl = connection.settings.idp_metadata_url;
  return {
    connectionId: connection.id,
    key: connection.key,
    type: connection.type,
    preset: connection.preset,
    enabled: connection.enabled,
    certificates: certificates.map((certificate) => {
      const left = daysLeft(certificate.notAfter, now);
      const expired = certificate.notAfter.getTime() <= now.getTime();
      return { ...certificate, daysLeft: left, expired, expiringSoon: expired || left <= BANNER_DAYS };
    }),
    metadata:
      typeof metadataUrl === 'string'
        ? {
            url: metadataUrl,
            refreshedAt: health?.metadataRefreshedAt ?? null,
            error: health?.metadataRefreshError ?? null,
          }
        : null,
    lastSuccessAt: health?.lastSuccessAt ?? null,
    lastFailureAt: health?.lastFailureAt ?? null,
    lastFailureReason: health?.lastFailureReason ?? null,
    lastTestedAt: health?.lastTestedAt ?? null,
    testedCurrentSettings: testedCurrentSettings(connection, health),
  };
}
