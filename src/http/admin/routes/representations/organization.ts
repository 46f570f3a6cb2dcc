import { z } from 'zod';
import { brandingSchema, domainPolicySchema } from '../../../../domain/organizations/organization-input.js';
import type { EffectiveSettings } from '../../../../domain/organizations/organizations-admin.js';
import {
  POLICY_KEYS,
  securityPoliciesSchema,
  type SecurityPolicies,
} from '../../../../domain/organizations/security-policies.js';
import { planInputSchema } from '../../../../domain/entitlements/plan-input.js';
import type { OrganizationRecord } from '../../../../domain/ports/tenancy.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const OrganizationJson = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    parent_id: z.string().nullable(),
    status: z.enum(['active', 'suspended']),
    metadata: z.record(z.string(), z.unknown()),
    domain_policy: domainPolicySchema,
    security_policies: securityPoliciesSchema,
    default_role: z.string().nullable(),
    branding: brandingSchema.meta({ description: 'What the login page shows; `{}` for none.' }),
    plan: planInputSchema.meta({
      description: 'Contract entitlements; `{}`: none (no limits). Sub-organizations use their root’s.',
    }),
    frozen_at: timestamp
      .nullable()
      .meta({ description: 'Set while an operator has frozen the organization.' }),
    frozen_reason: z.string().nullable(),
    managed_by: z.string().nullable().meta({ description: '`config` when `gatehouse apply` owns it.' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Organization' });

export const organizationJson = (org: OrganizationRecord): z.output<typeof OrganizationJson> => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  parent_id: org.parentId,
  status: org.status,
  metadata: org.metadata,
  domain_policy: org.domainPolicy,
  security_policies: org.securityPolicies as SecurityPolicies,
  default_role: org.defaultRole,
  branding: org.branding,
  plan: org.plan as z.output<typeof planInputSchema>,
  frozen_at: isoOrNull(org.frozenAt),
  frozen_reason: org.frozenReason,
  managed_by: org.managedBy,
  created_at: iso(org.createdAt),
  updated_at: iso(org.updatedAt),
});

const EffectiveRoleJson = z.object({
  name: z.string(),
  permissions: z.array(z.string()),
  admin: z.boolean(),
  overridable: z.boolean(),
  defined_by: z.string().meta({ description: 'Id of the organization that defines the role.' }),
  inherited: z.boolean(),
});

export const EffectiveJson = z
  .object({
    roles: z.array(EffectiveRoleJson),
    policies: z.object({
      values: z.record(z.string(), z.unknown()),
      sources: z.record(z.string(), z.string()).meta({ description: 'Which organization sets each value.' }),
      locked_by_ancestors: z.array(z.enum(POLICY_KEYS)),
    }),
  })
  .meta({ id: 'EffectiveSettings' });

export const effectiveJson = ({ roles, policies }: EffectiveSettings): z.output<typeof EffectiveJson> => ({
  roles,
  policies: {
    values: policies.values,
    sources: policies.sources,
    locked_by_ancestors: policies.lockedByAncestors,
  },
});

export const PermissionJson = z
  .object({
    permission: z.string(),
    roles: z.array(z.string()).meta({ description: 'Effective roles that grant it.' }),
  })
  .meta({ id: 'EffectivePermission' });
