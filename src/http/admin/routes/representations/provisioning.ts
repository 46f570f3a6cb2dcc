import { z } from 'zod';
import { provisioningSchema, roleRuleSchema } from '../../../../domain/organizations/provisioning-input.js';

export const ProvisioningChanges = provisioningSchema.meta({
  id: 'ProvisioningChanges',
  description: 'The whole policy; members left out take their defaults (jit true, approval none, no rules).',
});

export const ProvisioningJson = z
  .object({
    jit: z.boolean().meta({ description: 'Create users and memberships on their first SSO sign-in.' }),
    approval: z
      .enum(['none', 'org_admin'])
      .meta({ description: '`org_admin`: new memberships stay pending until approved.' }),
    role_rules: z.array(roleRuleSchema).meta({
      description: "Each rule gives `assign_role` when `condition` holds for the user's mapped attributes.",
    }),
  })
  .meta({ id: 'Provisioning' });
