import { z } from 'zod';
import type { MembershipRecord } from '../../../../domain/ports/tenancy.js';
import { iso, timestamp } from './timestamps.js';

export const MembershipJson = z
  .object({
    id: z.string(),
    user_id: z.string(),
    organization_id: z.string(),
    status: z.enum(['active', 'pending', 'suspended']),
    roles: z.array(z.string()),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Membership' });

export const membershipJson = (membership: MembershipRecord): z.output<typeof MembershipJson> => ({
  id: membership.id,
  user_id: membership.userId,
  organization_id: membership.organizationId,
  status: membership.status,
  roles: membership.roles,
  created_at: iso(membership.createdAt),
  updated_at: iso(membership.updatedAt),
});
