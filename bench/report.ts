import type { Argon2Timing } from './argon2.js';
import type { CellResult } from './load.js';

/** Turns the measured cells into the one JSON document the bench prints. */
export interface CellPair {
  gatehouse: CellResult;
  baseline: CellResult;
  /** gatehouse / baseline: above 1 is better for requests/s, worse for p95. */
  ratio: { requestsPerSecond: number; p95: number };
}

export type Results = Record<string, { operation: string; byConcurrency: Record<string, CellPair> }>;

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function pair(gatehouse: CellResult, baseline: CellResult): CellPair {
  return {
    gatehouse,
    baseline,
    ratio: {
      requestsPerSecond: round(gatehouse.requestsPerSecond / baseline.requestsPerSecond),
      p95: round(gatehouse.p95Ms / baseline.p95Ms),
    },
  };
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

export function targets(results: Results, concurrency: number[]) {
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
  return [
    atLeast('client_credentials', 0.8),
    atLeast('refresh', 0.8),
    {
      target: `client_credentials p95 < 150 ms at ${top} concurrent`,
      values: { [top]: p95 ?? null },
      pass: p95 !== undefined && p95 < 150,
    },
  ];
}
