import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { closeConnections } from './http-client.js';
import { processCpuMs } from './process-cpu.js';
import { benchPool, databaseSize, sampleActivity } from './scim-database.js';
import { startScimEnvironment } from './scim-environment.js';
import { closeJsonConnections } from './scim-http.js';
import { importUsers } from './scim-import.js';
import { LOOKUP_WARMUP, measureLookups, measurePagination, type LookupCell } from './scim-lookups.js';
import { importProfile, sqlPerRequest, targets } from './scim-report.js';
import { measureDeactivation } from './scim-revoke.js';
import { readScimSettings, SCIM_DOMAIN, TARGETS } from './scim-settings.js';
import { userKeys } from './scim-users.js';

/**
 * `npm run bench:scim`: SCIM directory sync at scale on its own scratch database. Imports N
 * Entra-shaped users into one directory through /Bulk, then at N users times filtered lookups
 * against raw SQL and a bare HTTP round trip (interleaved, same run), a page at the end of the
 * directory against the first, and deactivate -> revoke. One JSON document on stdout; progress
 * on stderr.
 */
const LOOKUP_CONCURRENCY = [1, 4];
const log = (message: string) => process.stderr.write(`[bench:scim] ${message}\n`);
const loadAverage = () => loadavg().map((value) => Math.round(value * 100) / 100);

/** The code measured: the commit, and the files under src/ and prisma/ changed since (others work in this checkout too). */
function codeVersion() {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
    const changed = git('status', '--porcelain', '--', 'src', 'prisma').split('\n').filter(Boolean);
    return { commit: git('rev-parse', '--short', 'HEAD'), uncommittedSourceFiles: changed.length };
  } catch {
    return { commit: 'unknown', uncommittedSourceFiles: null };
  }
}

/** `count` distinct indices spread over 0..users-1 (deterministic: evenly spaced, offset by `shift`). */
const spread = (count: number, users: number, shift: number) =>
  Array.from({ length: count }, (_, position) => Math.floor(((position + shift) * users) / count));

async function main(): Promise<void> {
  const settings = readScimSettings();
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  const code = codeVersion();
  const signedIn = spread(settings.signedIn, settings.users, 0.25);

  log(`starting gatehouse on a fresh database (${settings.users} users to import)`);
  const environment = await startScimEnvironment({
    cpuProfile: settings.cpuProfile,
    sqlProfile: settings.sqlProfile,
    signInEmails: signedIn.map((index) => userKeys(index, SCIM_DOMAIN).userName),
  });
  const { fixture } = environment;
  const baseUrl = `${fixture.issuer}/scim/v2/${fixture.directoryId}`;
  const pool = benchPool(environment.databaseUrl, 6);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await pool.end();
      closeJsonConnections();
      closeConnections();
      await environment.close();
    })());
  // Ctrl-C or timeout's SIGTERM: stop Gatehouse and drop the scratch database before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping gatehouse and dropping the scratch database`);
      void close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
  try {
    const { rows: versionRows } = await pool.query<{ server_version: string }>('SHOW server_version');

    log(`import: ${settings.users} users, ${settings.bulk} per /Bulk, ${settings.concurrency} in flight`);
    await environment.stats(true);
    const activity = sampleActivity(pool, environment.databaseName);
    const gatehouseCpuBefore = processCpuMs(environment.gatehousePid);
    const driverCpuBefore = process.cpuUsage();
    const stored = async () => {
      const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM directory_users');
      return Number(rows[0]!.count);
    };
    const imported = await importUsers({
      baseUrl,
      token: fixture.token,
      domain: fixture.domain,
      stored,
      ...settings,
    });
    const driverCpu = process.cpuUsage(driverCpuBefore);
    const gatehouseCpuAfter = processCpuMs(environment.gatehousePid);
    const activityProfile = await activity.stop();
    const importStats = await environment.stats(true);
    const importResult = imported.result;
    const gatehouseMs =
      gatehouseCpuBefore !== undefined && gatehouseCpuAfter !== undefined
        ? gatehouseCpuAfter - gatehouseCpuBefore
        : undefined;
    const driverMs = (driverCpu.user + driverCpu.system) / 1000;
    const profile = importProfile(
      importResult,
      importStats,
      { gatehouseMs, driverMs },
      activityProfile,
      settings.concurrency,
    );

    log('database size after the import');
    const size = await databaseSize(pool);

    const missing = new Set(imported.ids.flatMap((id, index) => (id === undefined ? [index] : [])));
    const lookupTarget = { ...fixture, baseUrl, users: settings.users, missing };
    const lookups: Record<string, LookupCell> = {};
    const lookupSql: Record<string, ReturnType<typeof sqlPerRequest>> = {};
    for (const concurrency of LOOKUP_CONCURRENCY) {
      log(
        `lookups: ${settings.lookups} x (userName, externalId, raw SQL x2, /healthz) at concurrency ${concurrency}`,
      );
      lookups[concurrency] = await measureLookups(lookupTarget, pool, {
        lookups: settings.lookups,
        concurrency,
      });
      // Two SCIM lookups per iteration, warm-up included; /healthz sends no SQL.
      lookupSql[concurrency] = sqlPerRequest(
        await environment.stats(true),
        2 * (settings.lookups + LOOKUP_WARMUP),
      );
      const cell = lookups[concurrency]!;
      log(
        `lookups c=${concurrency}: userName p95 ${cell.scimUserName.p95Ms} ms, externalId p95 ${cell.scimExternalId.p95Ms} ms, ` +
          `raw SQL p95 ${cell.sqlUserName.p95Ms} ms, /healthz p95 ${cell.bareHttp.p95Ms} ms`,
      );
    }

    log(`pagination: last page vs first page, ${settings.paginationTries} tries each`);
    const pagination = await measurePagination(lookupTarget, settings.paginationTries);
    const paginationSql = sqlPerRequest(await environment.stats(true), pagination.requests);
    log(
      `pagination: first page p95 ${pagination.firstPage.p95Ms} ms, last page p95 ${pagination.lastPage.p95Ms} ms; ` +
        `walk of ${pagination.walk.pages} pages in ${pagination.walk.seconds} s, last tenth p95 ${pagination.walk.lastTenth.p95Ms} ms`,
    );

    const available = (index: number) => !missing.has(index) && !signedIn.includes(index);
    const plain = spread(settings.deactivations - settings.signedIn, settings.users, 0.5).filter(available);
    log(
      `deactivate -> revoke: ${plain.length + signedIn.length} users, ${signedIn.length} of them signed in first`,
    );
    const deactivation = await measureDeactivation(
      { ...fixture, baseUrl, ids: imported.ids },
      { signedIn: signedIn.filter((index) => !missing.has(index)), plain },
    );
    const deactivationSql = sqlPerRequest(await environment.stats(true), deactivation.deactivated || 1);

    const report = {
      meta: {
        startedAt,
        node: process.version,
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: availableParallelism(),
        postgres: versionRows[0]?.server_version ?? 'unknown',
        loadAverage: { before: loadBefore, after: loadAverage() },
        code,
        gatehouse:
          'separate process; PostgreSQL + Redis; LOG_LEVEL=silent; SQL counters ' +
          (settings.sqlProfile ? 'on (SCIM_BENCH_SQL_PROFILE=0 turns them off)' : 'off'),
      },
      settings: { ...settings, targets: TARGETS },
      import: { ...importResult, profile },
      databaseSize: size,
      lookups: { atUsers: settings.users - missing.size, byConcurrency: lookups, sql: lookupSql },
      pagination: { ...pagination, sql: paginationSql },
      deactivation: { ...deactivation, sql: deactivationSql },
      targets: targets(importResult, lookups),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
