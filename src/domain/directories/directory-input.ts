import { z } from 'zod';
import { connectionKeySchema } from '../organizations/connection-input.js';

/** Group displayName -> role name. Names compare case-insensitively, as SCIM displayNames do. */
export const groupRoleMapSchema = z
  .record(z.string().trim().min(1).max(256), z.string().min(1).max(64))
  .refine((map) => Object.keys(map).length <= 500, 'at most 500 groups');

export const directoryCreateSchema = z.strictObject({
  key: connectionKeySchema,
  type: z.literal('scim').default('scim'),
  group_role_map: groupRoleMapSchema.default({}),
});
export type DirectoryCreate = z.output<typeof directoryCreateSchema>;

export const directoryUpdateSchema = z.strictObject({ group_role_map: groupRoleMapSchema });
export type DirectoryUpdate = z.output<typeof directoryUpdateSchema>;
