import { z } from 'zod';
import { isPermissionName } from '../organizations/permissions.js';
import { impersonationDurationSchema } from './impersonation-policy.js';

/**
 * What a support operator asks for (admin API, CLI). The scope is either `read_only` (the tokens
 * carry no roles, no permissions and no API scopes: the operator sees what the user's identity
 * alone shows) or an explicit list of permissions, of which the tokens carry those the user holds.
 * Wildcards are refused: the operator names what the task needs, and the approver sees exactly that.
 */
const concretePermission = z
  .string()
  .refine(isPermissionName, 'a permission name such as claims:read')
  .refine((name) => !name.includes('*'), 'name the permissions needed: wildcards are not accepted');

export const impersonationScopeSchema = z.union([
  z.literal('read_only'),
  z.object({ permissions: z.array(concretePermission).min(1).max(100) }).strict(),
]);
export type ImpersonationScope = z.output<typeof impersonationScopeSchema>;

export const impersonationRequestSchema = z
  .object({
    /** The user to act as: id (`usr_...`) or email. */
    user: z.string().min(1).max(254),
    /** Why: shown to the approver, on every page of the session, and kept in the audit log. */
    reason: z.string().trim().min(3).max(1000),
    scope: impersonationScopeSchema,
    /** How long it lasts once started: at most the organization's max_duration (1h at most). */
    duration: impersonationDurationSchema,
  })
  .strict();
export type ImpersonationRequestInput = z.output<typeof impersonationRequestSchema>;
