import { z } from 'zod';
import type { DirectoryView } from '../../../../domain/directories/directories-admin.js';
import { SCIM_PREFIX } from '../../../scim/scim-prefix.js';
import { iso, timestamp } from './timestamps.js';

export const DirectoryJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    key: z.string(),
    type: z.literal('scim'),
    scim_base_path: z
      .string()
      .meta({ description: 'The SCIM base URL below the issuer URL, e.g. `/scim/v2/dir_...`.' }),
    token_hint: z
      .string()
      .meta({ description: 'The first characters of the bearer token (the token is shown once).' }),
    group_role_map: z.record(z.string(), z.string()),
    managed_by: z.string().nullable(),
    token_rotated_at: timestamp,
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Directory' });

export const DirectoryWithTokenJson = DirectoryJson.extend({
  token: z.string().meta({ description: 'The SCIM bearer token. Shown this once: store it in the IdP now.' }),
}).meta({ id: 'DirectoryWithToken' });

export const directoryJson = (directory: DirectoryView) => ({
  id: directory.id,
  organization_id: directory.organizationId,
  key: directory.key,
  type: 'scim' as const,
  scim_base_path: `${SCIM_PREFIX}/${directory.id}`,
  token_hint: directory.tokenHint,
  group_role_map: directory.groupRoleMap,
  managed_by: directory.managedBy,
  token_rotated_at: iso(directory.tokenRotatedAt),
  created_at: iso(directory.createdAt),
  updated_at: iso(directory.updatedAt),
});
