import { z } from 'zod';
import type { UserView } from '../../../../domain/organizations/users-admin.js';
import { iso, timestamp } from './timestamps.js';

export const UserJson = z
  .object({
    id: z.string(),
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string().nullable(),
    has_password: z.boolean().meta({ description: 'Whether the user may sign in with a local password.' }),
    managed_by: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'User' });

export const userJson = (user: UserView): z.output<typeof UserJson> => ({
  id: user.id,
  email: user.email,
  email_verified: user.emailVerified,
  name: user.name,
  has_password: user.hasPassword,
  managed_by: user.managedBy,
  created_at: iso(user.createdAt),
  updated_at: iso(user.updatedAt),
});
