import type {
  ConnectionHealthChanges,
  ConnectionHealthRepository,
} from '../../domain/ports/connection-health.js';
import type { MonthlyActiveUserRepository } from '../../domain/ports/monthly-active-users.js';
import type { RiskAssessmentRepository } from '../../domain/ports/risk.js';
import type { GrantOrganizationRepository } from '../../domain/ports/tenancy.js';
import type { Query } from './query.js';
import { utcWallTime } from './utc-timestamps.js';

/** Per column type: how the statement reads the parameter, and how a value is sent as one. */
const HEALTH_TYPES = {
  timestamp: { cast: utcWallTime, encode: (value: unknown) => (value as Date).toISOString() },
  json: { cast: (param: string) => `${param}::jsonb`, encode: (value: unknown) => JSON.stringify(value) },
  text: { cast: (param: string) => `${param}::text`, encode: (value: unknown) => value },
};

/** The columns of connection_health an upsert may set, in parameter order after the id. */
const HEALTH_COLUMNS = [
  ['lastSuccessAt', 'last_success_at', 'timestamp'],
  ['lastFailureAt', 'last_failure_at', 'timestamp'],
  ['lastFailureReason', 'last_failure_reason', 'text'],
  ['lastAttributes', 'last_attributes', 'json'],
  ['lastAttributesAt', 'last_attributes_at', 'timestamp'],
  ['lastTestedAt', 'last_tested_at', 'timestamp'],
  ['metadataRefreshedAt', 'metadata_refreshed_at', 'timestamp'],
  ['metadataRefreshError', 'metadata_refresh_error', 'text'],
  ['certificateWarnings', 'certificate_warnings', 'json'],
] as const satisfies ReadonlyArray<
  readonly [keyof ConnectionHealthChanges, string, keyof typeof HEALTH_TYPES]
>;

// One statement for every shape of change: each column comes with a flag saying whether the
// change sets it ($2, $4, ...); a column not set keeps its value (or, on insert, its default).
const HEALTH_UPSERT = (() => {
  const value = (i: number) => HEALTH_TYPES[HEALTH_COLUMNS[i]![2]].cast(`$${3 + 2 * i}`);
  const flag = (i: number) => `$${2 + 2 * i}::boolean`;
  const inserted = HEALTH_COLUMNS.map(([, column], i) =>
    column === 'certificate_warnings'
      ? `CASE WHEN ${flag(i)} THEN ${value(i)} ELSE '{}'::jsonb END`
      : `CASE WHEN ${flag(i)} THEN ${value(i)} END`,
  );
  const updated = HEALTH_COLUMNS.map(
    ([, column], i) =>
      `"${column}" = CASE WHEN ${flag(i)} THEN ${value(i)} ELSE "connection_health"."${column}" END`,
  );
  const updatedAt = utcWallTime(`$${2 + 2 * HEALTH_COLUMNS.length}`);
  return `INSERT INTO "connection_health" ("connection_id", ${HEALTH_COLUMNS.map(([, c]) => `"${c}"`).join(', ')}, "updated_at")
    VALUES ($1, ${inserted.join(', ')}, ${updatedAt})
    ON CONFLICT ("connection_id") DO UPDATE SET ${updated.join(', ')}, "updated_at" = EXCLUDED."updated_at"`;
})();

function healthParams(connectionId: string, changes: ConnectionHealthChanges, now: Date): unknown[] {
  const params: unknown[] = [connectionId];
  for (const [member, , type] of HEALTH_COLUMNS) {
    const value = changes[member];
    params.push(
      value !== undefined,
      value === undefined || value === null ? null : HEALTH_TYPES[type].encode(value),
    );
  }
  params.push(now.toISOString());
  return params;
}

/**
 * The writes every sign-in makes after it is proven (the risk assessment's outcome, the monthly
 * active user, the grant's organization) and an enterprise sign-in's connection health, as
 * prepared statements outside Prisma: same reason as user-by-id.ts. Each is one statement, as
 * its Prisma counterpart is.
 */
export function signInWriteQueries(
  query: Query,
  prismaBind: GrantOrganizationRepository['bind'],
  now: () => Date = () => new Date(),
) {
  return {
    async setRiskOutcome(id: string, outcome: Parameters<RiskAssessmentRepository['setOutcome']>[1]) {
      await query(
        'gh_risk_assessment_outcome',
        `UPDATE "risk_assessments" SET "outcome" = $2 WHERE "id" = $1`,
        [id, outcome],
      );
    },
    async recordMonthlyActiveUser(
      ...[organizationId, month, userId]: Parameters<MonthlyActiveUserRepository['record']>
    ): Promise<boolean> {
      // ON CONFLICT DO NOTHING: the same user signing in twice at once writes one row.
      const { rowCount } = await query(
        'gh_monthly_active_user',
        `INSERT INTO "monthly_active_users" ("organization_id", "month", "user_id", "first_seen_at")
         VALUES ($1, $2, $3, ${utcWallTime('$4')}) ON CONFLICT DO NOTHING`,
        [organizationId, month, userId, now().toISOString()],
      );
      return rowCount === 1;
    },
    async bindGrant(record: Parameters<GrantOrganizationRepository['bind']>[0]): Promise<void> {
      const { rowCount } = await query(
        'gh_grant_organization_bind',
        `INSERT INTO "grant_organizations" ("grant_id", "organization_id", "user_id", "client_id", "connection_id",
           "trust_rule_id", "home_organization_id", "created_at")
         VALUES ($1, $2, $3, $4, $5, $6, $7, ${utcWallTime('$8')}) ON CONFLICT DO NOTHING`,
        [
          record.grantId,
          record.organizationId,
          record.userId,
          record.clientId,
          record.connectionId ?? null,
          record.trustRuleId ?? null,
          record.homeOrganizationId ?? null,
          now().toISOString(),
        ],
      );
      // Already bound: the repository compares the binding with the one asked for.
      if (rowCount !== 1) await prismaBind(record);
    },
    async upsertConnectionHealth(
      ...[connectionId, changes]: Parameters<ConnectionHealthRepository['upsert']>
    ) {
      await query('gh_connection_health_upsert', HEALTH_UPSERT, healthParams(connectionId, changes, now()));
    },
  };
}
