import { z } from 'zod';
import type { IdentityView } from '../../../../domain/organizations/identities-admin.js';
import { iso, timestamp } from './timestamps.js';

export const IdentityJson = z
  .object({
    id: z.string(),
    connection_id: z.string(),
    connection: z.string().meta({ description: 'The connection key within its organization.' }),
    organization_id: z.string(),
    subject: z.string().meta({ description: 'The upstream subject (OIDC `sub`, SAML NameID).' }),
    attributes: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The mapped attributes of the last sign-in.' }),
    created_at: timestamp,
    last_login_at: timestamp,
  })
  .meta({ id: 'Identity' });

export const identityJson = (identity: IdentityView): z.output<typeof IdentityJson> => ({
  id: identity.id,
  connection_id: identity.connectionId,
  connection: identity.connectionKey,
  organization_id: identity.organizationId,
  subject: identity.subject,
  attributes: identity.attributes,
  created_at: iso(identity.createdAt),
  last_login_at: iso(identity.lastLoginAt),
});
