/**
 * Latency samples and the interleaved runner of the lookup phases: every iteration times each
 * probe once, in turn, so the thing measured and its baselines see the same moment of a noisy
 * machine; `concurrency` workers share the iterations.
 */
export interface LatencySummary {
  n: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  errors: number;
  firstError?: string;
}

const round = (value: number) => Math.round(value * 100) / 100;

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

export class Samples {
  readonly latencies: number[] = [];
  errors = 0;
  firstError: string | undefined;

  /** Times `work`; a throw counts as an error and is not a latency sample. */
  async time(work: () => Promise<void>): Promise<number | undefined> {
    const started = performance.now();
    try {
      await work();
    } catch (error) {
      this.fail(error);
      return undefined;
    }
    const ms = performance.now() - started;
    this.latencies.push(ms);
    return ms;
  }

  fail(error: unknown): void {
    this.errors += 1;
    this.firstError ??= error instanceof Error ? error.message : String(error);
  }

  summary(): LatencySummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const sum = sorted.reduce((total, value) => total + value, 0);
    return {
      n: sorted.length,
      p50Ms: round(percentile(sorted, 0.5)),
      p95Ms: round(percentile(sorted, 0.95)),
      p99Ms: round(percentile(sorted, 0.99)),
      meanMs: round(sorted.length ? sum / sorted.length : Number.NaN),
      maxMs: round(sorted.at(-1) ?? Number.NaN),
      errors: this.errors,
      ...(this.firstError ? { firstError: this.firstError } : {}),
    };
  }
}

/** A named thing to time; `iteration` picks what it asks for (a random user, a page). */
export type Probe = (iteration: number) => Promise<void>;

export async function interleaved(
  probes: Record<string, Probe>,
  options: { iterations: number; concurrency: number; warmup?: number },
): Promise<Record<string, LatencySummary>> {
  const names = Object.keys(probes);
  const run = async (iterations: number, samples: Map<string, Samples>) => {
    let next = 0;
    const worker = async () => {
      while (next < iterations) {
        const iteration = next++;
        for (const name of names) await samples.get(name)!.time(() => probes[name]!(iteration));
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  };
  const fresh = () => new Map(names.map((name) => [name, new Samples()]));
  if (options.warmup) await run(options.warmup, fresh());
  const samples = fresh();
  await run(options.iterations, samples);
  return Object.fromEntries(names.map((name) => [name, samples.get(name)!.summary()]));
}

/** over / under, rounded; null where either side is missing. */
export const ratio = (over: number | undefined, under: number | undefined) =>
  over !== undefined && under !== undefined && under > 0 && Number.isFinite(over / under)
    ? Math.round((over / under) * 100) / 100
    : null;
