import type pg from 'pg';
import { callJson, isRecord } from './scim-http.js';
import { interleaved, ratio, Samples, type LatencySummary, type Probe } from './scim-latency.js';
import { userKeys, type BenchUserKeys } from './scim-users.js';

/**
 * Lookups at N users, each probe against its baselines in the same iterations: SCIM
 * `filter=userName eq` and `externalId eq` next to the same row read by raw SQL through `pg`
 * (the database's share) and a bare GET /healthz (the HTTP stack's share). Then a page at the end
 * of the directory against the first page.
 */
export const LOOKUP_WARMUP = 50;
const PAGE = 100;
const PAGINATION_WARMUP = 2;

export interface LookupTarget {
  baseUrl: string;
  issuer: string;
  token: string;
  domain: string;
  directoryId: string;
  /** Users imported: lookups pick among 0..users-1. */
  users: number;
  /** Users whose import failed: never picked. */
  missing: ReadonlySet<number>;
}

type Key = keyof BenchUserKeys;
const COLUMN: Record<Key, string> = { userName: 'user_name_key', externalId: 'external_id' };

function randomUser(target: LookupTarget): BenchUserKeys {
  for (;;) {
    const index = Math.floor(Math.random() * target.users);
    if (!target.missing.has(index)) return userKeys(index, target.domain);
  }
}

function scimLookup(target: LookupTarget, key: Key): Probe {
  return async () => {
    const value = randomUser(target)[key];
    const filter = encodeURIComponent(`${key} eq "${value}"`);
    const answer = await callJson(`${target.baseUrl}/Users?filter=${filter}`, { token: target.token });
    const body = isRecord(answer.body) ? answer.body : {};
    const found = Array.isArray(body.Resources) && isRecord(body.Resources[0]) ? body.Resources[0] : {};
    if (answer.status !== 200 || body.totalResults !== 1 || found[key] !== value) {
      throw new Error(`${key} eq ${value}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
  };
}

function sqlLookup(target: LookupTarget, pool: pg.Pool, key: Key): Probe {
  // The row Gatehouse reads for the same filter, all columns, in one round trip.
  const text = `SELECT * FROM directory_users WHERE directory_id = $1 AND ${COLUMN[key]} = $2`;
  return async () => {
    const value = randomUser(target)[key];
    // user_name_key holds userName lower-cased (NFC); externalId is compared as stored.
    const { rowCount } = await pool.query(text, [
      target.directoryId,
      key === 'userName' ? value.toLowerCase() : value,
    ]);
    if (rowCount !== 1) throw new Error(`raw SQL ${key} = ${value}: ${rowCount} rows`);
  };
}

function health(target: LookupTarget): Probe {
  return async () => {
    const answer = await callJson(`${target.issuer}/healthz`);
    if (answer.status !== 200) throw new Error(`/healthz answered ${answer.status}`);
  };
}

export interface LookupCell {
  scimUserName: LatencySummary;
  scimExternalId: LatencySummary;
  sqlUserName: LatencySummary;
  sqlExternalId: LatencySummary;
  bareHttp: LatencySummary;
  /** SCIM lookup over its baselines (p50 and p95); above 1 is what the SCIM layer adds. */
  ratios: Record<string, { p50: number | null; p95: number | null }>;
}

export async function measureLookups(
  target: LookupTarget,
  pool: pg.Pool,
  options: { lookups: number; concurrency: number },
): Promise<LookupCell> {
  const cells = await interleaved(
    {
      scimUserName: scimLookup(target, 'userName'),
      scimExternalId: scimLookup(target, 'externalId'),
      sqlUserName: sqlLookup(target, pool, 'userName'),
      sqlExternalId: sqlLookup(target, pool, 'externalId'),
      bareHttp: health(target),
    },
    { iterations: options.lookups, concurrency: options.concurrency, warmup: LOOKUP_WARMUP },
  );
  const over = (scim: LatencySummary, base: LatencySummary) => ({
    p50: ratio(scim.p50Ms, base.p50Ms),
    p95: ratio(scim.p95Ms, base.p95Ms),
  });
  const [scimUserName, scimExternalId, sqlUserName, sqlExternalId, bareHttp] = [
    cells.scimUserName!,
    cells.scimExternalId!,
    cells.sqlUserName!,
    cells.sqlExternalId!,
    cells.bareHttp!,
  ];
  return {
    scimUserName,
    scimExternalId,
    sqlUserName,
    sqlExternalId,
    bareHttp,
    ratios: {
      userNameOverBareHttp: over(scimUserName, bareHttp),
      userNameOverRawSql: over(scimUserName, sqlUserName),
      externalIdOverBareHttp: over(scimExternalId, bareHttp),
      externalIdOverRawSql: over(scimExternalId, sqlExternalId),
    },
  };
}

export interface PaginationResult {
  totalResults: number;
  /** GET /Users requests sent, warm-up and the first probe included (for SQL per request). */
  requests: number;
  count: number;
  firstPage: LatencySummary & { startIndex: number };
  lastPage: LatencySummary & { startIndex: number };
  /** Last page over first page, p50 and p95: how much the OFFSET at the end costs. */
  ratio: { p50: number | null; p95: number | null };
  /**
   * A client paging through the whole directory with startIndex, as provisioning clients do:
   * every page, and the last tenth of them, where an OFFSET would cost the most.
   */
  walk: { pages: number; seconds: number; allPages: LatencySummary; lastTenth: LatencySummary };
}

/** GETs every page in order, timing each. */
async function walkAll(target: LookupTarget, totalResults: number): Promise<PaginationResult['walk']> {
  const all = new Samples();
  const tail = new Samples();
  const pages = Math.ceil(totalResults / PAGE);
  const started = performance.now();
  for (let index = 0; index < pages; index += 1) {
    const startIndex = index * PAGE + 1;
    const ms = await all.time(async () => {
      const answer = await callJson(`${target.baseUrl}/Users?startIndex=${startIndex}&count=${PAGE}`, {
        token: target.token,
      });
      if (answer.status !== 200) throw new Error(`startIndex=${startIndex}: ${answer.status}`);
    });
    if (ms !== undefined && index >= pages - Math.ceil(pages / 10)) tail.latencies.push(ms);
  }
  return {
    pages,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    allPages: all.summary(),
    lastTenth: tail.summary(),
  };
}

export async function measurePagination(target: LookupTarget, tries: number): Promise<PaginationResult> {
  const page = async (startIndex: number) => {
    const answer = await callJson(`${target.baseUrl}/Users?startIndex=${startIndex}&count=${PAGE}`, {
      token: target.token,
    });
    const body = isRecord(answer.body) ? answer.body : {};
    return {
      status: answer.status,
      body,
      resources: Array.isArray(body.Resources) ? body.Resources.length : -1,
    };
  };
  const probe = await page(1);
  const totalResults = Number(probe.body.totalResults);
  if (probe.status !== 200 || !Number.isInteger(totalResults))
    throw new Error(`GET /Users answered ${probe.status}`);
  const lastStart = Math.max(1, totalResults - PAGE + 1);
  const expect =
    (startIndex: number, wanted: number): Probe =>
    async () => {
      const answer = await page(startIndex);
      if (answer.status !== 200 || answer.resources !== wanted) {
        throw new Error(`startIndex=${startIndex}: ${answer.status}, ${answer.resources} resources`);
      }
    };
  const cells = await interleaved(
    {
      first: expect(1, Math.min(PAGE, totalResults)),
      last: expect(lastStart, totalResults - lastStart + 1),
    },
    { iterations: tries, concurrency: 1, warmup: PAGINATION_WARMUP },
  );
  const [first, last] = [cells.first!, cells.last!];
  const walk = await walkAll(target, totalResults);
  return {
    totalResults,
    requests: 1 + 2 * (PAGINATION_WARMUP + tries) + walk.pages,
    count: PAGE,
    firstPage: { startIndex: 1, ...first },
    lastPage: { startIndex: lastStart, ...last },
    ratio: { p50: ratio(last.p50Ms, first.p50Ms), p95: ratio(last.p95Ms, first.p95Ms) },
    walk,
  };
}
