import type { OrganizationRecord } from '../../domain/ports/tenancy.js';
import { fromRaw, ORGANIZATION_CHAIN, type RawOrganizationRow } from '../prisma/organization-repository.js';
import type { Query } from './query.js';

/**
 * An organization's chain up to its root, read at every token issue under an organization's grant
 * (its inherited network and session policies), as a prepared statement outside Prisma for the
 * same reason as user-by-id.ts.
 */
export function organizationChainQuery(query: Query) {
  return async (id: string): Promise<OrganizationRecord[]> => {
    const { rows } = await query<RawOrganizationRow & Record<string, unknown>>(
      'gh_organization_chain',
      ORGANIZATION_CHAIN,
      [id],
    );
    return rows.map(fromRaw);
  };
}
