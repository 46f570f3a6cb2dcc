import type { NewRiskAssessment, RiskAssessmentRepository } from '../../domain/ports/risk.js';
import { fromRaw, storedSignals } from '../prisma/risk-assessment-repository.js';
import { allRows, type Query } from './query.js';
import { utcWallTime } from './utc-timestamps.js';

// The assessment, and in the same statement the user's memberships (their organizations' audit
// chains record it when the sign-in names no organization). created_at is UTC wall time, as
// Prisma keeps DateTime.
const KEEP_LISTING_MEMBERSHIPS = `
  WITH "kept" AS (
    INSERT INTO "risk_assessments" ("id", "organization_id", "user_id", "ip", "country", "latitude",
      "longitude", "device_hash", "score", "decision", "signals", "created_at")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, ${utcWallTime('$12')})
  )
  SELECT "organization_id" FROM "memberships" WHERE "user_id" = $3`;

/**
 * The two risk-assessment statements of every sign-in (its user's history, then the new
 * assessment), prepared, outside Prisma: same reason as user-by-id.ts.
 */
export function riskAssessmentQueries(
  query: Query,
): Pick<RiskAssessmentRepository, 'recentForUser' | 'createListingMemberships'> {
  return {
    async recentForUser(userId, limit) {
      return allRows(
        query,
        'gh_risk_assessments_recent',
        `SELECT * FROM "risk_assessments" WHERE "user_id" = $1 ORDER BY "created_at" DESC, "id" DESC LIMIT $2`,
        [userId, limit],
        fromRaw,
      );
    },
    async createListingMemberships(assessment: NewRiskAssessment) {
      const signals = storedSignals(assessment);
      const { rows } = await query<{ organization_id: string }>(
        'gh_risk_assessment_keep',
        KEEP_LISTING_MEMBERSHIPS,
        [
          assessment.id,
          assessment.organizationId,
          assessment.userId,
          assessment.ip,
          assessment.country,
          assessment.latitude,
          assessment.longitude,
          assessment.deviceHash,
          assessment.score,
          assessment.decision,
          JSON.stringify(signals),
          assessment.createdAt.toISOString(),
        ],
      );
      return {
        record: { ...assessment, signals, outcome: null },
        memberOf: rows.map((row) => row.organization_id),
      };
    },
  };
}
