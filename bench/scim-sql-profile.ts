import pg from 'pg';

/**
 * Per-statement counters in the Gatehouse process (PostgreSQL here has no pg_stat_statements
 * loaded): every query any pg client of the process sends (Prisma's adapter and Gatehouse's own
 * raw statements alike) is counted under its shape, with the time from send to answer. Wraps
 * pg's Client.prototype.query, which pooled queries and transaction clients both go through.
 */
export interface StatementStats {
  statement: string;
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface SqlProfile {
  statements: StatementStats[];
  totalCount: number;
  totalMs: number;
  /**
   * How long transactions held an organization's event counter row (from the answer to their
   * first `event_counters` upsert, when the lock is theirs, to the answer to COMMIT or ROLLBACK):
   * every writer of the organization waits for it, so 1000 / meanMs bounds its writing
   * transactions per second.
   */
  counterLock: {
    transactions: number;
    meanMs: number;
    p50Ms: number;
    p95Ms: number;
    transactionsPerSecondCeiling: number;
  } | null;
}

type QueryFunction = (this: unknown, ...args: unknown[]) => unknown;
type Callback = (this: unknown, error: unknown, result: unknown) => unknown;

/** One key per statement shape: column lists, VALUES tuples and RETURNING lists folded. */
export function statementShape(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/"public"\./g, '')
    .replace(/\bSELECT (DISTINCT )?.+? FROM /i, 'SELECT $1… FROM ')
    .replace(/\(("[A-Za-z_]+"(::[a-z[\]]+)?,? ?)+\)/g, '(…)')
    .replace(/VALUES \(.*?\)(, \(.*?\))*/i, 'VALUES (…)')
    .replace(/RETURNING .*$/i, 'RETURNING …')
    .replace(/\$\d+/g, '?')
    .slice(0, 220)
    .trim();
}

const COUNTER_UPSERT = /INSERT INTO "event_counters"/;
const TRANSACTION_START = /^\s*BEGIN\b/i;
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK)\b/i;

function lockSummary(holds: number[]): SqlProfile['counterLock'] {
  if (holds.length === 0) return null;
  const sorted = [...holds].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  const meanMs = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    transactions: sorted.length,
    meanMs: round(meanMs),
    p50Ms: round(at(0.5)),
    p95Ms: round(at(0.95)),
    transactionsPerSecondCeiling: Math.round(1000 / meanMs),
  };
}

const textOf = (first: unknown): string => {
  if (typeof first === 'string') return first;
  if (typeof first === 'object' && first !== null && 'text' in first) return String(first.text);
  return '<unknown>';
};

export function installSqlProfile(): { snapshot(reset: boolean): SqlProfile } {
  let byShape = new Map<string, StatementStats>();
  let holds: number[] = [];
  // Per connection: when its open transaction got the counter row.
  const lockedAt = new WeakMap<object, number>();
  const shapes = new Map<string, string>();
  const track = (client: unknown, text: string) => {
    if (typeof client !== 'object' || client === null) return;
    // An upsert outside a transaction (no COMMIT follows) must not count against the next one.
    if (TRANSACTION_START.test(text)) lockedAt.delete(client);
    else if (COUNTER_UPSERT.test(text) && !lockedAt.has(client)) lockedAt.set(client, performance.now());
    else if (TRANSACTION_END.test(text)) {
      const since = lockedAt.get(client);
      if (since !== undefined) holds.push(performance.now() - since);
      lockedAt.delete(client);
    }
  };
  const record = (text: string, ms: number) => {
    let shape = shapes.get(text);
    if (shape === undefined) {
      shape = statementShape(text);
      shapes.set(text, shape);
    }
    let stats = byShape.get(shape);
    if (!stats) byShape.set(shape, (stats = { statement: shape, count: 0, totalMs: 0, maxMs: 0 }));
    stats.count += 1;
    stats.totalMs += ms;
    if (ms > stats.maxMs) stats.maxMs = ms;
  };

  const prototype = pg.Client.prototype as unknown as { query: QueryFunction };
  const original = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    const text = textOf(args[0]);
    const started = performance.now();
    const answered = (client: unknown) => {
      record(text, performance.now() - started);
      track(client, text);
    };
    const last = args.at(-1);
    // pg.Pool#query hands the client a callback; a checked-out client is used with promises.
    if (typeof last === 'function') {
      const callback = last as Callback;
      args[args.length - 1] = (error: unknown, result: unknown) => {
        answered(this);
        return callback.call(this, error, result);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result instanceof Promise) {
      const done = () => answered(this);
      result.then(done, done);
    }
    return result;
  };

  return {
    snapshot(reset) {
      const statements = [...byShape.values()]
        .map((stats) => ({ ...stats, totalMs: Math.round(stats.totalMs), maxMs: Math.round(stats.maxMs) }))
        .sort((a, b) => b.totalMs - a.totalMs);
      const counterLock = lockSummary(holds);
      if (reset) {
        byShape = new Map();
        holds = [];
      }
      return {
        statements,
        totalCount: statements.reduce((sum, stats) => sum + stats.count, 0),
        totalMs: statements.reduce((sum, stats) => sum + stats.totalMs, 0),
        counterLock,
      };
    },
  };
}
