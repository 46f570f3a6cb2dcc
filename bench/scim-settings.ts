import { REDIRECT_URI, SECRET } from './settings.js';

/**
 * What `npm run bench:scim` measures with: run settings from the environment, the tenancy the
 * Gatehouse child seeds (scim-server.ts) and the targets of the issue.
 */
export interface ScimBenchSettings {
  /** Users imported into the one directory (SCIM_BENCH_USERS). */
  users: number;
  /** Operations per /Bulk request (SCIM_BENCH_BULK, at most the 1,000 Gatehouse accepts). */
  bulk: number;
  /** /Bulk requests in flight during the import (SCIM_BENCH_CONCURRENCY). */
  concurrency: number;
  /** Lookups per filter and concurrency (SCIM_BENCH_LOOKUPS). */
  lookups: number;
  /** Users deactivated by PATCH (SCIM_BENCH_DEACTIVATIONS), of which `signedIn` hold a grant. */
  deactivations: number;
  signedIn: number;
  /** Tries per page of the pagination probe. */
  paginationTries: number;
  /** SCIM_BENCH_PROFILE=1: the Gatehouse process runs with --cpu-prof (temp dir, path on stderr). */
  cpuProfile: boolean;
  /** SCIM_BENCH_SQL_PROFILE=0 turns off the per-statement SQL counters in the Gatehouse process. */
  sqlProfile: boolean;
}

function integer(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

export function readScimSettings(): ScimBenchSettings {
  const users = integer('SCIM_BENCH_USERS', 100_000, 200, 10_000_000);
  const signedIn = integer('SCIM_BENCH_SIGNED_IN', 5, 0, 50);
  return {
    users,
    bulk: integer('SCIM_BENCH_BULK', 1000, 1, 1000),
    concurrency: integer('SCIM_BENCH_CONCURRENCY', 4, 1, 64),
    lookups: integer('SCIM_BENCH_LOOKUPS', 1000, 20, 100_000),
    deactivations: integer('SCIM_BENCH_DEACTIVATIONS', 50, signedIn, Math.floor(users / 2)),
    signedIn,
    paginationTries: 20,
    cpuProfile: process.env.SCIM_BENCH_PROFILE === '1',
    sqlProfile: process.env.SCIM_BENCH_SQL_PROFILE !== '0',
  };
}

/** The bars. The import target is for 100,000 users; smaller runs are judged on a projection. */
export const TARGETS = {
  importUsers: 100_000,
  importSeconds: 300,
  lookupP95Ms: 20,
};

export const SCIM_DOMAIN = 'contoso.scim.bench.test';
export const SCIM_ORGANIZATION = { slug: 'scim-bench', name: 'SCIM Bench (Contoso)' };
export const SIGN_IN_PASSWORD = 'correct horse battery staple';

/** A first-party web client allowed the organization scope: grants bound to the organization. */
export const SCIM_CLIENT = { id: 'scim-web-app', secret: SECRET };
export const SCIM_CLIENT_SCOPE = 'openid email organization offline_access';
export const SCIM_CLIENT_DEFINITION = {
  client_id: SCIM_CLIENT.id,
  client_secret: SCIM_CLIENT.secret,
  redirect_uris: [REDIRECT_URI],
  scopes: ['openid', 'email', 'organization', 'offline_access'],
};

/** Environment of the Gatehouse child: the addresses given a password before the import links them. */
export const SIGN_IN_EMAILS_ENV = 'SCIM_BENCH_SIGN_IN_EMAILS';
export const SQL_PROFILE_ENV = 'SCIM_BENCH_SQL_PROFILE';
