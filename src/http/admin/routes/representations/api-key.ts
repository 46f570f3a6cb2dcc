import { z } from 'zod';
import { API_KEY_ACCESS, type ApiKeyView } from '../../../../domain/organizations/api-keys.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const ApiKeyJson = z
  .object({
    id: z.string(),
    name: z.string(),
    organization_id: z
      .string()
      .nullable()
      .meta({ description: 'null: the whole environment; else that organization and its subtree.' }),
    access: z
      .enum(API_KEY_ACCESS)
      .meta({ description: 'read_only: the key may read (GET) and change nothing.' }),
    created_by: z.string().nullable(),
    created_at: timestamp,
    expires_at: timestamp.nullable(),
    last_used_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
  })
  .meta({ id: 'ApiKey' });

export const NewApiKeyJson = ApiKeyJson.extend({
  key: z.string().meta({ description: 'The key itself: shown in this answer only, never again.' }),
}).meta({ id: 'NewApiKey' });

export const apiKeyJson = (key: ApiKeyView): z.output<typeof ApiKeyJson> => ({
  id: key.id,
  name: key.name,
  organization_id: key.organizationId,
  access: key.access,
  created_by: key.createdBy,
  created_at: iso(key.createdAt),
  expires_at: isoOrNull(key.expiresAt),
  last_used_at: isoOrNull(key.lastUsedAt),
  revoked_at: isoOrNull(key.revokedAt),
});
