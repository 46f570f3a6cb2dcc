import type { Operation } from '../load.js';
import type { SsoFixture } from '../sso.js';

/** A server under test, reached over loopback. */
export interface Target {
  name: 'gatehouse' | 'baseline' | 'baseline_same_storage';
  issuer: string;
  /** The server's process, for CPU per operation (process-cpu.ts). */
  pid?: number;
  /** Gatehouse only, when a selected scenario needs the SSO tenancy and the partner IdP. */
  sso?: SsoFixture;
}

/**
 * One thing to measure. `prepare` runs once per target (seeding tokens, chains...) before the
 * first cell; the operation it returns is reused for every concurrency, `workers` at most.
 */
export interface Scenario {
  name: string;
  /** What one operation is, in a sentence, for the report. */
  operation: string;
  /**
   * Measured on Gatehouse alone, for what the baselines do not have (organizations): no
   * baseline cells and no ratios to the baselines; report.ts compares it with other Gatehouse
   * figures instead.
   */
  gatehouseOnly?: boolean;
  /** Needs Gatehouse seeded with the organizations of organizations.ts (only done when selected). */
  organizations?: boolean;
  /** Needs the SSO tenancy of sso.ts with the OIDC partner IdP process (only started when selected). */
  sso?: boolean;
  /** Needs the SSO tenancy of sso.ts with its SAML connection (only seeded when selected). */
  saml?: boolean;
  prepare(target: Target, workers: number): Promise<Operation | PreparedOperation>;
}

/** An operation with facts measured while preparing it (not in the cells): the report's `prepared`. */
export interface PreparedOperation {
  operation: Operation;
  prepared: Record<string, unknown>;
}

/** Sign-ins at a time when a scenario seeds one per worker (tokens, chains). */
export const SEED_PARALLEL = 8;

/** Runs `task` `count` times, `parallel` at a time (seeding, not measured). */
export async function times<T>(
  count: number,
  parallel: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return results;
}
