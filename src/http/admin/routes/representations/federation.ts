import { z } from 'zod';
import type { FederationDetail } from '../../../../domain/federations/federations-admin.js';
import type { FederationRecord, TrustRuleRecord } from '../../../../domain/ports/federations.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const TrustRuleJson = z
  .object({
    id: z.string(),
    federation_id: z.string(),
    source_organization_id: z.string().meta({ description: 'Whose members get access.' }),
    target_organization_id: z.string().meta({ description: 'Where they get it.' }),
    permissions: z
      .array(z.string())
      .meta({ description: "Exactly what partners may do in the target; never the target's roles." }),
    requires_mfa: z.boolean(),
    ip_restrictions: z.array(z.string()).meta({ description: 'CIDR networks; empty: any address.' }),
    valid_from: timestamp.nullable(),
    valid_until: timestamp.nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'TrustRule' });

export const FederationSummaryJson = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string().nullable(),
    frozen_at: timestamp
      .nullable()
      .meta({ description: 'Set while the kill switch is on: no rule applies.' }),
    frozen_reason: z.string().nullable(),
    managed_by: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'FederationSummary' });

export const FederationMemberJson = z
  .object({ organization_id: z.string(), slug: z.string(), name: z.string() })
  .meta({ id: 'FederationMember' });

export const FederationJson = FederationSummaryJson.extend({
  members: z.array(FederationMemberJson),
  rules: z.array(TrustRuleJson),
}).meta({ id: 'Federation' });

export const trustRuleJson = (rule: TrustRuleRecord): z.output<typeof TrustRuleJson> => ({
  id: rule.id,
  federation_id: rule.federationId,
  source_organization_id: rule.sourceOrganizationId,
  target_organization_id: rule.targetOrganizationId,
  permissions: rule.permissions,
  requires_mfa: rule.requiresMfa,
  ip_restrictions: rule.ipRestrictions,
  valid_from: isoOrNull(rule.validFrom),
  valid_until: isoOrNull(rule.validUntil),
  created_at: iso(rule.createdAt),
});

export const federationSummaryJson = (
  federation: FederationRecord,
): z.output<typeof FederationSummaryJson> => ({
  id: federation.id,
  slug: federation.slug,
  name: federation.name,
  frozen_at: isoOrNull(federation.frozenAt),
  frozen_reason: federation.frozenReason,
  managed_by: federation.managedBy,
  created_at: iso(federation.createdAt),
  updated_at: iso(federation.updatedAt),
});

export const federationMemberJson = (member: {
  organizationId: string;
  slug: string;
  name: string;
}): z.output<typeof FederationMemberJson> => ({
  organization_id: member.organizationId,
  slug: member.slug,
  name: member.name,
});

export const federationJson = (detail: FederationDetail): z.output<typeof FederationJson> => ({
  ...federationSummaryJson(detail.federation),
  members: detail.members.map(federationMemberJson),
  rules: detail.rules.map(trustRuleJson),
});
