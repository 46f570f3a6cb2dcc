import { z } from 'zod';
import { challengeName } from '../../../../domain/organizations/domain-names.js';
import type { DomainRecord } from '../../../../domain/ports/tenancy.js';
import { iso, isoOrNull, timestamp } from './timestamps.js';

export const DomainJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    domain: z.string().meta({ description: 'Lower-case ASCII; `*.` prefix for a wildcard claim.' }),
    verified: z.boolean(),
    verified_at: timestamp.nullable(),
    verification_method: z.enum(['dns', 'operator']).nullable(),
    last_checked_at: timestamp.nullable(),
    verification: z
      .object({ type: z.literal('dns_txt'), name: z.string(), value: z.string() })
      .nullable()
      .meta({ description: 'The TXT record that proves control, until the domain is verified.' }),
    managed_by: z.string().nullable(),
    created_at: timestamp,
  })
  .meta({ id: 'Domain' });

export const domainJson = (claim: DomainRecord): z.output<typeof DomainJson> => ({
  id: claim.id,
  organization_id: claim.organizationId,
  domain: claim.domain,
  verified: claim.verifiedAt !== null,
  verified_at: isoOrNull(claim.verifiedAt),
  verification_method: claim.verificationMethod,
  last_checked_at: isoOrNull(claim.lastCheckedAt),
  verification: claim.verifiedAt
    ? null
    : { type: 'dns_txt', name: challengeName(claim.domain), value: claim.verificationToken },
  managed_by: claim.managedBy,
  created_at: iso(claim.createdAt),
});
