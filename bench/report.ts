import type { Argon2Timing } from './argon2.js';
import type { CellResult } from './load.js';

/** Turns the measured cells into the one JSON document the bench prints. */
export interface Ratio {
  /** Above 1 is better for Gatehouse. */
  requestsPerSecond: number;
  /** Above 1 is worse for Gatehouse. */
  p95: number;
  /** Server CPU per operation; above 1 is worse for Gatehouse. Steadier than the two above on a noisy machine. */
  serverCpuPerOp?: number;
}

export interface CellPair {
  gatehouse: CellResult;
  /** Bare oidc-provider on its in-memory adapter: what the targets compare with. */
  baseline: CellResult;
  /** The same bare oidc-provider on Gatehouse's PostgreSQL + Redis adapter. */
  baseline_same_storage: CellResult;
  /** gatehouse / baseline. */
  ratio: Ratio;
  /** gatehouse / baseline_same_storage: Gatehouse's own layer, storage held equal. */
  ratioSameStorage: Ratio;
}

export type Results = Record<
  string,
  { operation: string; prepared?: Record<string, unknown>; byConcurrency: Record<string, CellPair> }
>;

/** A cell of a scenario measured on Gatehouse alone (`gatehouseOnly`: no baseline has it). */
export interface GatehouseCell {
  gatehouse: CellResult;
}

export type GatehouseOnlyResults = Record<
  string,
  {
    operation: string;
    gatehouseOnly: true;
    /** What the scenario measured while preparing (federated_login: first vs returning sign-ins). */
    prepared?: Record<string, unknown>;
    byConcurrency: Record<string, GatehouseCell>;
  }
>;

export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const ratio = (over: CellResult, under: CellResult): Ratio => ({
  requestsPerSecond: round(over.requestsPerSecond / under.requestsPerSecond),
  p95: round(over.p95Ms / under.p95Ms),
  ...(over.serverCpuMsPerOp && under.serverCpuMsPerOp
    ? { serverCpuPerOp: round(over.serverCpuMsPerOp / under.serverCpuMsPerOp) }
    : {}),
});

export function pair(gatehouse: CellResult, baseline: CellResult, sameStorage: CellResult): CellPair {
  return {
    gatehouse,
    baseline,
    baseline_same_storage: sameStorage,
    ratio: ratio(gatehouse, baseline),
    ratioSameStorage: ratio(gatehouse, sameStorage),
  };
}

/**
 * Informative, no pass/fail: per scenario, the gap to the in-memory baseline split in two
 * factors that multiply back to `ratio`: what PostgreSQL + Redis cost oidc-provider itself
 * (baseline_same_storage / baseline), and what Gatehouse's own layer costs on top of the same
 * storage (gatehouse / baseline_same_storage).
 */
export function sameStorage(results: Results) {
  const by = (cells: Record<string, CellPair>, pick: (cell: CellPair) => Ratio) => ({
    requestsPerSecond: Object.fromEntries(
      Object.entries(cells).map(([c, cell]) => [c, pick(cell).requestsPerSecond]),
    ),
    p95: Object.fromEntries(Object.entries(cells).map(([c, cell]) => [c, pick(cell).p95])),
  });
  return Object.entries(results).map(([scenario, { byConcurrency }]) => ({
    line: `${scenario}: storage price and Gatehouse's own layer, by concurrency`,
    /** baseline_same_storage / baseline: the price of PostgreSQL + Redis durability. */
    sameStorageOverBaseline: by(byConcurrency, (cell) => ratio(cell.baseline_same_storage, cell.baseline)),
    /** gatehouse / baseline_same_storage: Gatehouse's own HTTP layer, pages, checks. */
    gatehouseOverSameStorage: by(byConcurrency, (cell) => cell.ratioSameStorage),
  }));
}

/**
 * How much of the sign-in cost argon2id explains, per concurrency. Latency: one verification
 * against the median flow (exact at concurrency 1; a lower bound above, where flows also queue
 * for the thread pool). Throughput, as CPU share: flows/s x one verification over all cores
 * (1 = argon2 alone would take the whole machine, load driver and databases included).
 * Gap: argon2's part of what Gatehouse costs more than the baseline per flow.
 */
export function argon2Share(argon2: Argon2Timing, fullFlow: Record<string, CellPair> | undefined) {
  if (!fullFlow) return undefined;
  const byConcurrency = Object.fromEntries(
    Object.entries(fullFlow).map(([concurrency, { gatehouse, baseline }]) => {
      const extraLatencyMs = gatehouse.p50Ms - baseline.p50Ms;
      const extraMachineMsPerFlow =
        argon2.cores * 1000 * (1 / gatehouse.requestsPerSecond - 1 / baseline.requestsPerSecond);
      return [
        concurrency,
        {
          latencyShareOfP50: round(argon2.verifyMs / gatehouse.p50Ms),
          latencyShareOfGapToBaseline: round(argon2.verifyMs / extraLatencyMs),
          cpuShare: round((gatehouse.requestsPerSecond * argon2.verifyMs) / 1000 / argon2.cores),
          throughputShareOfGapToBaseline: round(argon2.verifyMs / extraMachineMsPerFlow),
        },
      ];
    }),
  );
  return { ...argon2, byConcurrency };
}

export const latency = (cell: CellResult) => ({
  requestsPerSecond: cell.requestsPerSecond,
  p50Ms: cell.p50Ms,
  p95Ms: cell.p95Ms,
  p99Ms: cell.p99Ms,
  errors: cell.errors,
  ...(cell.serverCpuMsPerOp !== undefined ? { serverCpuMsPerOp: cell.serverCpuMsPerOp } : {}),
});

/**
 * A Gatehouse-only scenario (org_token, org_exchange) against another Gatehouse scenario at the
 * same concurrency: requests/s ratio (the pass/fail figure), p95 and server CPU per operation
 * ratios. A ratio is null, with a note, when either scenario was not in this run.
 */
function gatehouseOnlyAgainst(
  results: Results,
  gatehouseOnly: GatehouseOnlyResults,
  concurrency: number[],
  scenario: string,
  reference: 'client_credentials' | 'refresh',
  threshold: number,
  why: string,
) {
  const measured = gatehouseOnly[scenario]?.byConcurrency;
  const other = results[reference]?.byConcurrency;
  const missing = [...(measured ? [] : [scenario]), ...(other ? [] : [reference])];
  const byConcurrency = Object.fromEntries(
    concurrency.map((c) => {
      const mine = measured?.[c]?.gatehouse;
      const theirs = other?.[c]?.gatehouse;
      const both = mine && theirs;
      return [
        c,
        {
          [scenario]: mine ? latency(mine) : null,
          [reference]: theirs ? latency(theirs) : null,
          /** scenario / reference; null when either was not run. */
          ratio: {
            requestsPerSecond: both ? round(mine.requestsPerSecond / theirs.requestsPerSecond) : null,
            p95: both ? round(mine.p95Ms / theirs.p95Ms) : null,
            serverCpuPerOp:
              both && mine.serverCpuMsPerOp && theirs.serverCpuMsPerOp
                ? round(mine.serverCpuMsPerOp / theirs.serverCpuMsPerOp)
                : null,
          },
        },
      ];
    }),
  );
  const values = Object.fromEntries(
    Object.entries(byConcurrency).map(([c, cell]) => [c, cell.ratio.requestsPerSecond]),
  );
  return {
    target: `${scenario} requests/s >= ${threshold} x Gatehouse ${reference} at every concurrency (${why})`,
    values,
    byConcurrency,
    // null: not evaluated, a scenario it needs was not selected (BENCH_SCENARIOS).
    pass:
      missing.length > 0
        ? null
        : Object.values(values).every((value) => value !== null && value >= threshold),
    ...(missing.length > 0
      ? { note: `${missing.join(' and ')} not in this run (BENCH_SCENARIOS): no ratio` }
      : {}),
  };
}

export function targets(results: Results, gatehouseOnly: GatehouseOnlyResults, concurrency: number[]) {
  const top = String(Math.max(...concurrency));
  const ratios = (scenario: string) =>
    Object.entries(results[scenario]?.byConcurrency ?? {}).map(
      ([c, cell]) => [c, cell.ratio.requestsPerSecond] as const,
    );
  const atLeast = (scenario: string, threshold: number) => {
    const values = ratios(scenario);
    return {
      target: `${scenario} requests/s >= ${threshold} x baseline at every concurrency`,
      values: Object.fromEntries(values),
      pass: values.length > 0 && values.every(([, value]) => value >= threshold),
    };
  };
  const p95 = results.client_credentials?.byConcurrency[top]?.gatehouse.p95Ms;
  const against = (scenario: string, reference: 'client_credentials' | 'refresh', why: string) =>
    gatehouseOnlyAgainst(results, gatehouseOnly, concurrency, scenario, reference, 0.8, why);
  return [
    atLeast('client_credentials', 0.8),
    atLeast('refresh', 0.8),
    {
      target: `client_credentials p95 < 150 ms at ${top} concurrent`,
      values: { [top]: p95 ?? null },
      pass: p95 !== undefined && p95 < 150,
    },
    against('org_exchange', 'client_credentials', "the issue's target"),
    against(
      'org_token',
      'client_credentials',
      "the issue's target on the refresh grant, which also rotates a durable refresh token",
    ),
    against(
      'org_token',
      'refresh',
      "the bench's own bar: the organization claims cost at most a fifth of a plain refresh",
    ),
  ];
}
