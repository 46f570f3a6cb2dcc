import type { DomainRecord } from '../../domain/ports/tenancy.js';
import { fromRaw } from '../prisma/domain-repository.js';
import { allRows, type Query } from './query.js';

/**
 * The verified claims among an email domain's patterns, read several times in every sign-in
 * (routing, domain policy, branding, auto-join), in plain SQL for the same reason as
 * user-by-id.ts: one prepared statement whatever the number of patterns.
 */
export function verifiedDomainsQuery(query: Query) {
  return async (domains: readonly string[]): Promise<DomainRecord[]> => {
    if (domains.length === 0) return [];
    return allRows(
      query,
      'gh_verified_domains_among',
      `SELECT * FROM "domains" WHERE "verified_domain" = ANY($1::text[]) ORDER BY "domain"`,
      [[...domains]],
      fromRaw,
    );
  };
}
