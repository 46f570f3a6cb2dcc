import { availableParallelism, cpus } from 'node:os';
import { timeArgon2 } from './argon2.js';
import { closeConnections } from './http-client.js';
import { runCell, type Operation } from './load.js';
import { argon2Share, pair, sameStorage, targets, type Results } from './report.js';
import { clientCredentials } from './scenarios/client-credentials.js';
import { fullFlow } from './scenarios/full-flow.js';
import { introspection } from './scenarios/introspection.js';
import { refresh } from './scenarios/refresh.js';
import type { Scenario } from './scenarios/scenario.js';
import { processCpuMs } from './process-cpu.js';
import { readSettings } from './settings.js';
import { startTargets, type RunningTarget } from './targets.js';

/**
 * `npm run bench`: Gatehouse (PostgreSQL + Redis) against a bare oidc-provider on its in-memory
 * adapter and the same bare oidc-provider on Gatehouse's storage adapter, scenario by scenario
 * and concurrency by concurrency, the three targets taking turns cell by cell so drift in a
 * noisy machine hits all alike. One JSON document on stdout; progress on stderr.
 */
const ALL: Scenario[] = [clientCredentials, refresh, introspection, fullFlow];
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  const settings = readSettings();
  const scenarios = ALL.filter(
    (scenario) => !settings.scenarios || settings.scenarios.includes(scenario.name),
  );
  const workers = Math.max(...settings.concurrency);
  const startedAt = new Date().toISOString();

  log('timing argon2id verification alone');
  const argon2 = await timeArgon2();
  log(`argon2id verify ${argon2.verifyMs} ms, ceiling ${argon2.ceilingPerSecond}/s`);

  log('starting gatehouse and the two baselines');
  const environment = await startTargets(settings.profile);
  const results: Results = {};
  try {
    for (const scenario of scenarios) {
      const operations = new Map<RunningTarget, Operation>();
      for (const target of environment.all) {
        log(`${scenario.name}: preparing ${target.name}`);
        operations.set(target, await scenario.prepare(target, workers));
      }
      const byConcurrency: Results[string]['byConcurrency'] = {};
      for (const concurrency of settings.concurrency) {
        const cells = new Map<RunningTarget, Awaited<ReturnType<typeof runCell>>>();
        for (const target of environment.all) {
          const cell = await runCell(operations.get(target)!, {
            concurrency,
            seconds: settings.seconds,
            warmupSeconds: settings.warmupSeconds,
            serverCpuMs: () => processCpuMs(target.pid),
          });
          log(
            `${scenario.name} c=${concurrency} ${target.name}: ${cell.requestsPerSecond}/s p95 ${cell.p95Ms} ms cpu ${cell.serverCpuMsPerOp} ms/op errors ${cell.errors}`,
          );
          cells.set(target, cell);
        }
        byConcurrency[concurrency] = pair(
          cells.get(environment.gatehouse)!,
          cells.get(environment.baseline)!,
          cells.get(environment.baselineSameStorage)!,
        );
      }
      results[scenario.name] = { operation: scenario.operation, byConcurrency };
    }
  } finally {
    closeConnections();
    await environment.close();
  }

  const report = {
    meta: {
      startedAt,
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      secondsPerCell: settings.seconds,
      warmupSecondsPerCell: settings.warmupSeconds,
      concurrency: settings.concurrency,
      gatehouse: 'separate process; PostgreSQL + Redis; rate-limit counters on with very high limits',
      baseline: 'separate process; bare oidc-provider, in-memory adapter, static clients, no password check',
      baseline_same_storage:
        "separate process; the same bare oidc-provider on Gatehouse's adapter: PostgreSQL (grants, refresh tokens) + Redis (the rest)",
    },
    scenarios: results,
    argon2: argon2Share(argon2, results.full_flow?.byConcurrency),
    targets: targets(results, settings.concurrency),
    sameStorage: sameStorage(results),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
