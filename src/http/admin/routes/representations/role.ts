import { z } from 'zod';
import type { RoleRecord } from '../../../../domain/ports/tenancy.js';
import { iso, timestamp } from './timestamps.js';

export const RoleJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    permissions: z.array(z.string()),
    admin: z.boolean(),
    overridable: z.boolean(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Role' });

export const roleJson = (role: RoleRecord): z.output<typeof RoleJson> => ({
  id: role.id,
  organization_id: role.organizationId,
  name: role.name,
  description: role.description,
  permissions: role.permissions,
  admin: role.admin,
  overridable: role.overridable,
  created_at: iso(role.createdAt),
  updated_at: iso(role.updatedAt),
});
