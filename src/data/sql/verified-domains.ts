import type { DomainRecord } from '../../domain/ports/tenancy.js';
import { toMethod } from '../prisma/domain-repository.js';
import type { Query } from './query.js';

interface DomainRow extends Record<string, unknown> {
  id: string;
  organization_id: string;
  domain: string;
  verification_token: string;
  verified_at: Date | null;
  verification_method: string | null;
  last_checked_at: Date | null;
  managed_by: string | null;
  created_at: Date;
}

/**
 * The verified claims among an email domain's patterns, read several times in every sign-in
 * (routing, domain policy, branding, auto-join), in plain SQL for the same reason as
 * user-by-id.ts: one prepared statement whatever the number of patterns.
 */
export function verifiedDomainsQuery(query: Query) {
  return async (domains: readonly string[]): Promise<DomainRecord[]> => {
    if (domains.length === 0) return [];
    const { rows } = await query<DomainRow>(
      'gh_verified_domains_among',
      `SELECT * FROM "domains" WHERE "verified_domain" = ANY($1::text[]) ORDER BY "domain"`,
      [[...domains]],
    );
    return rows.map((row) => ({
      id: row.id,
      organizationId: row.organization_id,
      domain: row.domain,
      verificationToken: row.verification_token,
      verifiedAt: row.verified_at,
      verificationMethod: toMethod(row.verification_method),
      lastCheckedAt: row.last_checked_at,
      managedBy: row.managed_by,
      createdAt: row.created_at,
    }));
  };
}
