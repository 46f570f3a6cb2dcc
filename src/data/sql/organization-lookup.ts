import type { OrganizationRecord } from '../../domain/ports/tenancy.js';
import { fromRaw, type RawOrganizationRow } from '../prisma/organization-repository.js';
import type { Query } from './query.js';

type Row = RawOrganizationRow & Record<string, unknown>;

/**
 * An organization by id or by slug, as prepared statements outside Prisma: every token exchange
 * for an organization and every sign-in that names one starts here (same reason as user-by-id.ts).
 * Reads inside a transaction stay on Prisma, on the transaction's own session.
 */
export function organizationLookupQueries(query: Query) {
  const one = async (name: string, text: string, value: string): Promise<OrganizationRecord | undefined> => {
    const [row] = (await query<Row>(name, text, [value])).rows;
    return row ? fromRaw(row) : undefined;
  };
  return {
    find: (id: string) => one('gh_organization_by_id', `SELECT * FROM "organizations" WHERE "id" = $1`, id),
    findBySlug: (slug: string) =>
      one('gh_organization_by_slug', `SELECT * FROM "organizations" WHERE "slug" = $1`, slug),
  };
}
