import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from '../accounts/local-accounts.js';
import { looksLikeEmail } from '../../lib/email.js';
import { roleNameSchema } from './organization-input.js';

/** What admins (API, CLI) may say about a local user account. */
// argon2 hashes any length, but an unbounded password is a cheap way to make the server work.
const passwordSchema = z.string().min(MIN_PASSWORD_LENGTH).max(1024);

export const userCreateSchema = z
  .object({
    email: z.string().refine(looksLikeEmail, 'an email address'),
    name: z.string().min(1).max(200).optional(),
    /** Omitted: the user has no local password and signs in through an upstream IdP only. */
    password: passwordSchema.optional(),
    email_verified: z.boolean().default(false),
    /** Id or slug: the user becomes a member there (required for a delegated admin). */
    organization: z.string().min(1).optional(),
    /** The membership's roles; omitted: the organization's default role. */
    roles: z.array(roleNameSchema).max(100).optional(),
  })
  .strict()
  .refine((input) => input.roles === undefined || input.organization !== undefined, {
    message: 'roles are given for a membership: name the organization too',
    path: ['roles'],
  });
export type UserCreate = z.output<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object({
    name: z.string().min(1).max(200).nullable().optional(),
    email_verified: z.boolean().optional(),
    /** null removes the local password. */
    password: passwordSchema.nullable().optional(),
  })
  .strict();
export type UserUpdate = z.output<typeof userUpdateSchema>;
