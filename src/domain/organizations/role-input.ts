import { z } from 'zod';
import { roleNameSchema } from './organization-input.js';
import { isPermissionName } from './permissions.js';

const permissionSchema = z.string().refine(isPermissionName, 'a permission name: *, name, ns:name or ns:*');

export const roleCreateSchema = z
  .object({
    name: roleNameSchema,
    description: z.string().max(500).optional(),
    permissions: z.array(permissionSchema).max(500).default([]),
    /** Holders administer the organization; counts for `required_for_admins` MFA. */
    admin: z.boolean().default(false),
    /** Sub-organizations may define their own role of this name. */
    overridable: z.boolean().default(false),
  })
  .strict();
export type RoleCreate = z.output<typeof roleCreateSchema>;

export const roleUpdateSchema = z
  .object({
    description: z.string().max(500).nullable().optional(),
    permissions: z.array(permissionSchema).max(500).optional(),
    admin: z.boolean().optional(),
    overridable: z.boolean().optional(),
  })
  .strict();
export type RoleUpdate = z.output<typeof roleUpdateSchema>;
