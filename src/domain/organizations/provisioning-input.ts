import { z } from 'zod';
import type { ProvisioningPolicy } from '../ports/tenancy.js';
import { roleNameSchema } from './organization-input.js';

/**
 * What an SSO sign-in may create and which roles it gives, as admins write it (admin API and
 * declarative file). Members left out take their defaults; conditions are compiled at write time.
 */
export const MAX_ROLE_RULES = 100;

export const roleRuleSchema = z
  .object({
    // Length and syntax are the parser's to report (CONDITION_LIMITS), with the rule's index.
    condition: z.string(),
    assign_role: roleNameSchema,
  })
  .strict();

export const provisioningSchema = z
  .object({
    jit: z.boolean().optional(),
    approval: z.enum(['none', 'org_admin']).optional(),
    role_rules: z.array(roleRuleSchema).max(MAX_ROLE_RULES).optional(),
  })
  .strict();
export type ProvisioningInput = z.output<typeof provisioningSchema>;

/** The policy with its defaults spelled out: JIT on, no approval, no role rules. */
export const effectiveProvisioning = (policy: ProvisioningPolicy): Required<ProvisioningPolicy> => ({
  jit: policy.jit ?? true,
  approval: policy.approval ?? 'none',
  role_rules: policy.role_rules ?? [],
});
