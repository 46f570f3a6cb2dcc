import type { ActivityProfile } from './scim-database.js';
import type { ImportResult } from './scim-import.js';
import type { LookupCell } from './scim-lookups.js';
import type { StatsAnswer } from './scim-server.js';
import { TARGETS } from './scim-settings.js';

/** Turns the phases' figures into the parts of the JSON report that judge or explain them. */
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const TOP_STATEMENTS = 15;

export interface CpuWindow {
  gatehouseMs: number | undefined;
  driverMs: number;
}

/** Where an import's time went, per user: SQL statements (count and round-trip time), CPU, waits. */
export function importProfile(
  result: ImportResult,
  stats: StatsAnswer,
  cpu: CpuWindow,
  activity: ActivityProfile,
  concurrency: number,
) {
  const perUser = (value: number) => round(value / result.users, 3);
  const sql = stats.sql;
  return {
    wallMsPerUser: perUser(result.seconds * 1000),
    /** Each of `concurrency` requests holds a user this long: the latency of one SCIM create. */
    wallMsPerUserPerRequestSlot: perUser(result.seconds * 1000 * concurrency),
    cpuMsPerUser: {
      gatehouse: cpu.gatehouseMs === undefined ? null : perUser(cpu.gatehouseMs),
      postgresBackends: perUser(activity.backendCpuMs),
      loadDriver: perUser(cpu.driverMs),
    },
    gatehouseEventLoopUtilization: stats.eventLoopUtilization,
    /** Share of sampled Gatehouse sessions per state: `idle in transaction` is a transaction left open while Node works or waits. */
    postgresSessions: {
      meanOpen: activity.meanSessions,
      samples: activity.samples,
      states: activity.sessionStates,
    },
    sql: sql
      ? {
          statementsPerUser: perUser(sql.totalCount),
          /** Sum of every statement's send-to-answer time (across connections), per user. */
          roundTripMsPerUser: perUser(sql.totalMs),
          counterLock: sql.counterLock && {
            ...sql.counterLock,
            // One transaction per user one by one; a batched /Bulk writes many users in one.
            usersPerTransaction: round(result.users / sql.counterLock.transactions),
            usersPerSecondCeiling: Math.round(
              (sql.counterLock.transactionsPerSecondCeiling * result.users) / sql.counterLock.transactions,
            ),
          },
          top: sql.statements.slice(0, TOP_STATEMENTS).map((statement) => ({
            statement: statement.statement,
            perUser: perUser(statement.count),
            msPerUser: perUser(statement.totalMs),
            shareOfSqlTime: round(statement.totalMs / (sql.totalMs || 1), 3),
            maxMs: statement.maxMs,
          })),
        }
      : null,
  };
}

/** The SQL a phase sent, per request of that phase. */
export function sqlPerRequest(stats: StatsAnswer, requests: number) {
  if (!stats.sql) return null;
  return {
    requests,
    statementsPerRequest: round(stats.sql.totalCount / requests),
    roundTripMsPerRequest: round(stats.sql.totalMs / requests),
    statements: stats.sql.statements.slice(0, 8).map((statement) => ({
      statement: statement.statement,
      perRequest: round(statement.count / requests),
      msPerRequest: round(statement.totalMs / requests),
    })),
  };
}

export function targets(importResult: ImportResult, lookups: Record<string, LookupCell>) {
  const projected =
    importResult.usersPerSecond > 0 ? TARGETS.importUsers / importResult.usersPerSecond : Infinity;
  const measured = importResult.users >= TARGETS.importUsers;
  const importTarget = {
    target: `import ${TARGETS.importUsers.toLocaleString('en-US')} users in under ${TARGETS.importSeconds} s`,
    users: importResult.users,
    seconds: importResult.seconds,
    usersPerSecond: importResult.usersPerSecond,
    /** Needed to meet the target: */
    requiredUsersPerSecond: round(TARGETS.importUsers / TARGETS.importSeconds, 1),
    projectedSecondsFor100k: Math.round(projected),
    basis: measured
      ? 'measured'
      : `projected from ${importResult.users} users (the rate may fall as tables grow)`,
    pass:
      importResult.errors === 0 &&
      (measured ? importResult.seconds < TARGETS.importSeconds : projected < TARGETS.importSeconds),
  };
  const lookupEntries = Object.entries(lookups).flatMap(([concurrency, cell]) =>
    (['scimUserName', 'scimExternalId'] as const).map((name) => ({
      lookup: name === 'scimUserName' ? 'userName eq' : 'externalId eq',
      concurrency: Number(concurrency),
      p95Ms: cell[name].p95Ms,
      errors: cell[name].errors,
      pass: cell[name].errors === 0 && cell[name].p95Ms < TARGETS.lookupP95Ms,
    })),
  );
  return {
    import: importTarget,
    lookups: {
      target: `filtered GET p95 under ${TARGETS.lookupP95Ms} ms at ${importResult.users.toLocaleString('en-US')} users`,
      cells: lookupEntries,
      pass: lookupEntries.every((entry) => entry.pass),
    },
    allMet: importTarget.pass && lookupEntries.every((entry) => entry.pass),
  };
}
