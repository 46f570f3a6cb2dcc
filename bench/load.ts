/**
 * The load driver: `concurrency` closed-loop workers call `operation(worker)` back to back for a
 * fixed time, after a warm-up whose samples are thrown away. A worker never starts an operation
 * after the deadline, so the loops end by themselves; in-flight operations are allowed to finish.
 */
export type Operation = (worker: number) => Promise<void>;

export interface CellResult {
  /** Successful operations per second over the measured window. */
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  operations: number;
  errors: number;
  /** First error message, to tell a broken scenario from an overloaded server. */
  firstError?: string;
  /** CPU the server process spent per successful operation (its own work, not the database's). */
  serverCpuMsPerOp?: number;
  /** The same for the other processes an operation goes through (federated_login: the partner IdP). */
  peerCpuMsPerOp?: Record<string, number>;
}

interface Samples {
  latencies: number[];
  errors: number;
  firstError?: string;
}

async function drive(
  operation: Operation,
  concurrency: number,
  seconds: number,
): Promise<Samples & { elapsedMs: number }> {
  const samples: Samples = { latencies: [], errors: 0 };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      const begin = performance.now();
      try {
        await operation(index);
        samples.latencies.push(performance.now() - begin);
      } catch (error) {
        samples.errors += 1;
        samples.firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)));
  return { ...samples, elapsedMs: performance.now() - started };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function runCell(
  operation: Operation,
  options: {
    concurrency: number;
    seconds: number;
    warmupSeconds: number;
    serverCpuMs?: () => number | undefined;
    peerCpuMs?: Record<string, () => number | undefined>;
  },
): Promise<CellResult> {
  if (options.warmupSeconds > 0) await drive(operation, options.concurrency, options.warmupSeconds);
  const peers = Object.entries(options.peerCpuMs ?? {});
  const peersBefore = peers.map(([, read]) => read());
  const cpuBefore = options.serverCpuMs?.();
  const { latencies, errors, firstError, elapsedMs } = await drive(
    operation,
    options.concurrency,
    options.seconds,
  );
  const cpuAfter = options.serverCpuMs?.();
  const perOp = (before: number | undefined, after: number | undefined) =>
    before !== undefined && after !== undefined && latencies.length > 0
      ? Math.round(((after - before) / latencies.length) * 1000) / 1000
      : undefined;
  const peerCpuMsPerOp = Object.fromEntries(
    peers
      .map(([name, read], index) => [name, perOp(peersBefore[index], read())] as const)
      .filter((entry): entry is readonly [string, number] => entry[1] !== undefined),
  );
  const serverCpuMsPerOp = perOp(cpuBefore, cpuAfter);
  const sorted = latencies.sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1);
  return {
    requestsPerSecond: round((sorted.length * 1000) / elapsedMs),
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    p99Ms: round(percentile(sorted, 0.99)),
    meanMs: round(mean),
    operations: sorted.length,
    errors,
    ...(firstError ? { firstError } : {}),
    ...(serverCpuMsPerOp !== undefined ? { serverCpuMsPerOp } : {}),
    ...(Object.keys(peerCpuMsPerOp).length > 0 ? { peerCpuMsPerOp } : {}),
  };
}
