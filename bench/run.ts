import { availableParallelism, cpus } from 'node:os';
import { timeArgon2 } from './argon2.js';
import { federatedTargets, localFlowTarget, samlAcsComparison } from './sso-report.js';
import { closeConnections } from './http-client.js';
import { runCell, type CellResult, type Operation } from './load.js';
import {
  argon2Share,
  pair,
  sameStorage,
  targets,
  type GatehouseOnlyResults,
  type Results,
} from './report.js';
import { clientCredentials } from './scenarios/client-credentials.js';
import { federatedLogin } from './scenarios/federated-login.js';
import { fullFlow } from './scenarios/full-flow.js';
import { introspection } from './scenarios/introspection.js';
import { localFlow } from './scenarios/local-flow.js';
import { orgExchange } from './scenarios/org-exchange.js';
import { orgToken } from './scenarios/org-token.js';
import { refresh } from './scenarios/refresh.js';
import { samlAcs } from './scenarios/saml-acs.js';
import type { PreparedOperation, Scenario } from './scenarios/scenario.js';
import { processCpuMs } from './process-cpu.js';
import { readSettings } from './settings.js';
import { startTargets, type RunningTarget } from './targets.js';

/**
 * `npm run bench`: Gatehouse (PostgreSQL + Redis) against a bare oidc-provider on its in-memory
 * adapter and the same bare oidc-provider on Gatehouse's storage adapter, scenario by scenario
 * and concurrency by concurrency, the three targets taking turns cell by cell so drift in a
 * noisy machine hits all alike. Scenarios marked `gatehouseOnly` (org_token, org_exchange:
 * organizations; federated_login, saml_acs: SSO through partner IdPs; none of which the baselines have)
 * run on Gatehouse alone and are compared with other figures of the run instead. One JSON
 * document on stdout; progress on stderr.
 */
// Each Gatehouse-only scenario right after the one it is compared with (org_exchange after
// client_credentials, org_token after refresh, local_flow, federated_login and saml_acs after
// full_flow), so they run as close in time as they can.
const ALL: Scenario[] = [
  clientCredentials,
  orgExchange,
  refresh,
  orgToken,
  introspection,
  fullFlow,
  localFlow,
  federatedLogin,
  samlAcs,
];
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
  const environment = await startTargets({
    profile: settings.profile,
    organizations: scenarios.some((scenario) => scenario.organizations),
    sso: scenarios.some((scenario) => scenario.sso),
    saml: scenarios.some((scenario) => scenario.saml),
  });
  const results: Results = {};
  const gatehouseOnly: GatehouseOnlyResults = {};
  // Every scenario's entry, in the order they ran.
  const scenarioReport: Record<string, Results[string] | GatehouseOnlyResults[string]> = {};
  try {
    for (const scenario of scenarios) {
      const targetsOfScenario = scenario.gatehouseOnly ? [environment.gatehouse] : environment.all;
      const operations = new Map<RunningTarget, Operation>();
      let prepared: PreparedOperation['prepared'] | undefined;
      for (const target of targetsOfScenario) {
        log(`${scenario.name}: preparing ${target.name}`);
        const preparing = performance.now();
        const ready = await scenario.prepare(target, workers);
        if (typeof ready === 'function') operations.set(target, ready);
        else {
          operations.set(target, ready.operation);
          prepared = ready.prepared;
        }
        log(`${scenario.name}: ${target.name} prepared in ${Math.round(performance.now() - preparing)} ms`);
      }
      // The other processes an operation goes through, whose CPU per operation is reported too.
      const partner = scenario.sso ? environment.partner : undefined;
      const peerCpuMs = partner ? { partner: () => processCpuMs(partner.pid) } : undefined;
      const cellsByConcurrency = new Map<number, Map<RunningTarget, CellResult>>();
      for (const concurrency of settings.concurrency) {
        const cells = new Map<RunningTarget, CellResult>();
        for (const target of targetsOfScenario) {
          const cell = await runCell(operations.get(target)!, {
            concurrency,
            seconds: settings.seconds,
            warmupSeconds: settings.warmupSeconds,
            serverCpuMs: () => processCpuMs(target.pid),
            ...(peerCpuMs ? { peerCpuMs } : {}),
          });
          log(
            `${scenario.name} c=${concurrency} ${target.name}: ${cell.requestsPerSecond}/s p95 ${cell.p95Ms} ms cpu ${cell.serverCpuMsPerOp} ms/op` +
              `${cell.peerCpuMsPerOp?.partner !== undefined ? ` partner cpu ${cell.peerCpuMsPerOp.partner} ms/op` : ''} errors ${cell.errors}`,
          );
          cells.set(target, cell);
        }
        cellsByConcurrency.set(concurrency, cells);
      }
      const byConcurrency = <T>(shape: (cells: Map<RunningTarget, CellResult>) => T) =>
        Object.fromEntries(
          [...cellsByConcurrency].map(([concurrency, cells]) => [concurrency, shape(cells)]),
        );
      if (scenario.gatehouseOnly) {
        gatehouseOnly[scenario.name] = scenarioReport[scenario.name] = {
          operation: scenario.operation,
          gatehouseOnly: true,
          ...(prepared ? { prepared } : {}),
          byConcurrency: byConcurrency((cells) => ({ gatehouse: cells.get(environment.gatehouse)! })),
        };
      } else {
        results[scenario.name] = scenarioReport[scenario.name] = {
          operation: scenario.operation,
          ...(prepared ? { prepared } : {}),
          byConcurrency: byConcurrency((cells) =>
            pair(
              cells.get(environment.gatehouse)!,
              cells.get(environment.baseline)!,
              cells.get(environment.baselineSameStorage)!,
            ),
          ),
        };
      }
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
      ...(environment.gatehouse.seeding
        ? { gatehouseOrganizationSeeding: environment.gatehouse.seeding }
        : {}),
      ...(environment.partner
        ? {
            partner:
              'separate process; bare oidc-provider, in-memory adapter: the upstream OIDC IdP of federated_login, signs the login_hint account in without a form or password check',
          }
        : {}),
      ...(environment.gatehouse.ssoSeeding ? { gatehouseSsoSeeding: environment.gatehouse.ssoSeeding } : {}),
    },
    scenarios: scenarioReport,
    argon2: argon2Share(argon2, results.full_flow?.byConcurrency),
    targets: [
      ...targets(results, gatehouseOnly, settings.concurrency),
      localFlowTarget(gatehouseOnly, settings.concurrency),
      ...federatedTargets(results, gatehouseOnly, settings.concurrency, argon2.verifyMs),
    ],
    sameStorage: sameStorage(results),
    samlAcs: samlAcsComparison(results, gatehouseOnly, settings.concurrency),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
