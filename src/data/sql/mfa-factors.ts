import type { MfaFactorRecord } from '../../domain/ports/mfa.js';
import { fromRaw } from '../prisma/mfa-factor-repository.js';
import { allRows, type Query } from './query.js';

/**
 * A user's second factors, read at every sign-in (whether a TOTP app or a security key is there,
 * domain/mfa/enrolled-factors.ts), as a prepared statement outside Prisma (same reason as
 * user-by-id.ts). Factors made in one transaction share created_at: the id keeps the order
 * stable, as on the Prisma path.
 */
export function mfaFactorsForUserQuery(query: Query) {
  return async (userId: string): Promise<MfaFactorRecord[]> => {
    return allRows(
      query,
      'gh_mfa_factors_for_user',
      `SELECT * FROM "mfa_factors" WHERE "user_id" = $1 ORDER BY "created_at", "id"`,
      [userId],
      fromRaw,
    );
  };
}
