/**
 * What the bench measures with and against: run settings from the environment, and the clients
 * and user both servers are seeded with (the same metadata on Gatehouse and on the baseline).
 */
export interface BenchSettings {
  seconds: number;
  warmupSeconds: number;
  concurrency: number[];
  /** Scenario names to run; all when BENCH_SCENARIOS is unset. */
  scenarios: string[] | undefined;
  /** `gatehouse`, `baseline` or `baseline_same_storage`: that server runs with --cpu-prof (temp dir). */
  profile: string | undefined;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

export function readSettings(): BenchSettings {
  const concurrency = (process.env.BENCH_CONCURRENCY || '1,16,128')
    .split(',')
    .map((part) => Number(part.trim()));
  if (concurrency.some((value) => !Number.isInteger(value) || value < 1 || value > 1024)) {
    throw new Error('BENCH_CONCURRENCY must be a comma-separated list of integers between 1 and 1024');
  }
  const scenarios = process.env.BENCH_SCENARIOS?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  return {
    seconds: positive('BENCH_SECONDS', 5),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 1),
    concurrency,
    scenarios: scenarios && scenarios.length > 0 ? scenarios : undefined,
    profile: process.env.BENCH_PROFILE || undefined,
  };
}

export const SECRET = 'bench-client-secret-that-is-long-enough-0123456789';
export const API = 'https://api.bench.test/billing';
/** The scope of API that clients ask for (client_credentials, and the org_exchange sign-ins). */
export const API_SCOPE = 'invoices:read';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';
export const USER = {
  email: 'bench@example.com',
  password: 'correct horse battery staple',
  name: 'Bench User',
};
/**
 * The user a worker signs in as: one per worker, as many people signing in at once would be, so
 * Gatehouse's concurrent-session limit (3 per user by default) never ends a worker's session
 * under another worker. The baseline takes any email.
 */
export const BENCH_USERS = 1024;
export const benchUser = (worker: number) =>
  worker === 0 ? USER : { ...USER, email: `bench-${worker}@example.com` };
/**
 * The user a worker of `local_flow` signs in as: the same password, hashed with the cheapest
 * argon2id parameters (8 KiB, one pass), so that the sign-in is Gatehouse's local code flow
 * without the cost of password hashing. As many as BENCH_USERS, for the same reason.
 */
export const unhashedUser = (worker: number) => ({ ...USER, email: `bench-light-${worker}@example.com` });
export const CHEAPEST_ARGON2ID = { memoryCost: 8, timeCost: 1, parallelism: 1 } as const;
export const WEB_CLIENT = 'web-app';
export const SERVICE_CLIENT = 'billing-service';
export const LOGIN_SCOPE = 'openid email profile offline_access';

/** The client definitions, in the operator's format (clientDefinitionSchema). */
export const CLIENT_DEFINITIONS = [
  {
    client_id: WEB_CLIENT,
    client_secret: SECRET,
    redirect_uris: [REDIRECT_URI],
    scopes: ['openid', 'email', 'profile', 'offline_access'],
  },
  {
    client_id: SERVICE_CLIENT,
    client_secret: SECRET,
    grant_types: ['client_credentials' as const],
    resources: [API],
    scopes: [API_SCOPE],
  },
];
