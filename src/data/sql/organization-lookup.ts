import type { OrganizationRecord } from '../../domain/ports/tenancy.js';
import {
  chainFrom,
  fromRaw,
  ORGANIZATION_CHAIN,
  type RawOrganizationRow,
} from '../prisma/organization-repository.js';
import type { Query } from './query.js';

type Row = RawOrganizationRow & Record<string, unknown>;

/**
 * Organization reads as prepared statements outside Prisma (same reason as user-by-id.ts): by id
 * or slug, where every token exchange for an organization and every sign-in that names one
 * starts, and its chain up to the root, read at every token issue under an organization's grant
 * (its inherited network and session policies). Reads inside a transaction stay on Prisma, on
 * the transaction's own session.
 */
export function organizationQueries(query: Query) {
  const rows = async (name: string, text: string, value: string): Promise<OrganizationRecord[]> =>
    (await query<Row>(name, text, [value])).rows.map(fromRaw);
  return {
    find: async (id: string) =>
      (await rows('gh_organization_by_id', `SELECT * FROM "organizations" WHERE "id" = $1`, id))[0],
    findBySlug: async (slug: string) =>
      (await rows('gh_organization_by_slug', `SELECT * FROM "organizations" WHERE "slug" = $1`, slug))[0],
    chain: (id: string) => rows('gh_organization_chain', ORGANIZATION_CHAIN, id),
    chainBySlug: (slug: string) => rows('gh_organization_chain_by_slug', chainFrom('slug'), slug),
  };
}
