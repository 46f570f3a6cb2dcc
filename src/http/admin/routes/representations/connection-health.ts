import { z } from 'zod';
import type { ConnectionHealthView } from '../../../../domain/connection-health/health-view.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const ConnectionHealthJson = z
  .object({
    connection_id: z.string(),
    key: z.string(),
    type: z.enum(['oidc', 'saml']),
    enabled: z.boolean(),
    certificates: z
      .array(
        z.object({
          fingerprint: z.string().meta({ description: 'SHA-256 of the DER, hex.' }),
          subject: z.string(),
          not_after: timestamp,
          days_left: z.int(),
          expired: z.boolean(),
          state: z.enum(['current', 'previous']),
        }),
      )
      .meta({ description: 'SAML: the IdP signing certificates trusted now.' }),
    metadata: z
      .object({ url: z.string(), refreshed_at: timestamp.nullable(), error: z.string().nullable() })
      .nullable()
      .meta({
        description:
          'SAML with idp_metadata_url: the last successful fetch, and the error of a later failed one.',
      }),
    last_success_at: timestamp.nullable(),
    last_failure_at: timestamp.nullable(),
    last_failure_reason: z
      .string()
      .nullable()
      .meta({ description: 'Plain language, for the IdP administrator.' }),
    last_tested_at: timestamp.nullable(),
    tested_current_settings: z
      .boolean()
      .meta({ description: 'Whether the last portal test ran with the settings as they are now.' }),
  })
  .meta({ id: 'ConnectionHealth' });

export const connectionHealthJson = (view: ConnectionHealthView) => ({
  connection_id: view.connectionId,
  key: view.key,
  type: view.type,
  enabled: view.enabled,
  certificates: view.certificates.map((certificate) => ({
    fingerprint: certificate.fingerprint,
    subject: certificate.subject,
    not_after: iso(certificate.notAfter),
    days_left: certificate.daysLeft,
    expired: certificate.expired,
    state: certificate.state,
  })),
  metadata: view.metadata && {
    url: view.metadata.url,
    refreshed_at: isoOrNull(view.metadata.refreshedAt),
    error: view.metadata.error,
  },
  last_success_at: isoOrNull(view.lastSuccessAt),
  last_failure_at: isoOrNull(view.lastFailureAt),
  last_failure_reason: view.lastFailureReason,
  last_tested_at: isoOrNull(view.lastTestedAt),
  tested_current_settings: view.testedCurrentSettings,
});
