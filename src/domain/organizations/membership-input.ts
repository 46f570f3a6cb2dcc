import { z } from 'zod';
import { roleNameSchema } from './organization-input.js';

export const membershipStatusSchema = z.enum(['active', 'pending', 'suspended']);

export const membershipCreateSchema = z
  .object({
    user_id: z.string().min(1).optional(),
    email: z.string().min(3).max(254).optional(),
    /** Omitted: the organization's default role, if it has one. */
    roles: z.array(roleNameSchema).max(100).optional(),
    status: membershipStatusSchema.default('active'),
  })
  .strict()
  .refine((input) => (input.user_id === undefined) !== (input.email === undefined), {
    message: 'give exactly one of user_id and email',
    path: ['user_id'],
  });
export type MembershipCreate = z.output<typeof membershipCreateSchema>;

export const membershipUpdateSchema = z
  .object({
    roles: z.array(roleNameSchema).max(100).optional(),
    status: membershipStatusSchema.optional(),
  })
  .strict();
export type MembershipUpdate = z.output<typeof membershipUpdateSchema>;
