import { z } from 'zod';
import { CONNECTION_PRESETS } from '../../../../domain/organizations/connection-input.js';
import type { ConnectionView } from '../../../../domain/organizations/connection-view.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const ConnectionJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    key: z.string(),
    type: z.enum(['oidc', 'saml']),
    preset: z.enum(CONNECTION_PRESETS).nullable(),
    enabled: z.boolean(),
    attribute_map: z.record(z.string(), z.string()),
    has_client_secret: z
      .boolean()
      .meta({ description: 'Whether a client secret is stored; it is never shown.' }),
    service_provider: z
      .object({
        entity_id_path: z.string(),
        acs_path: z.string(),
        slo_path: z.string().meta({ description: 'The SingleLogoutService, for SAML Single Logout.' }),
        metadata_path: z.string(),
        certificate_expires_at: timestamp.nullable(),
      })
      .optional()
      .meta({
        description:
          'SAML only: what to register at the IdP. Paths are below the issuer URL (the entity ID is the issuer followed by entity_id_path).',
      }),
    managed_by: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .catchall(z.unknown())
  .meta({
    id: 'Connection',
    description:
      'Besides these members, the settings of the type as written (issuer, idp_metadata_url, ...).',
  });

export const connectionJson = (connection: ConnectionView) => ({
  id: connection.id,
  organization_id: connection.organizationId,
  key: connection.key,
  type: connection.type,
  preset: connection.preset,
  enabled: connection.enabled,
  ...connection.settings,
  attribute_map: connection.attributeMap,
  has_client_secret: connection.hasClientSecret,
  ...(connection.type === 'saml'
    ? {
        service_provider: {
          entity_id_path: `/sso/saml/${connection.id}`,
          acs_path: `/sso/saml/${connection.id}/acs`,
          slo_path: `/sso/saml/${connection.id}/slo`,
          metadata_path: `/sso/saml/${connection.id}/metadata`,
          certificate_expires_at: isoOrNull(connection.spCertificateExpiresAt),
        },
      }
    : {}),
  managed_by: connection.managedBy,
  created_at: iso(connection.createdAt),
  updated_at: iso(connection.updatedAt),
});
