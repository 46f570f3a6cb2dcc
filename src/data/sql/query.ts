/**
 * One parameterised statement, answered with its rows. On PostgreSQL it runs on any pooled
 * connection as a named prepared statement (parsed once per connection); on PGlite on its session.
 */
export type Query = <T extends Record<string, unknown>>(
  name: string,
  text: string,
  params: unknown[],
) => Promise<{ rows: T[]; rowCount: number }>;

/** Every row a prepared statement answers, each mapped to its record, in the statement's order. */
export async function allRows<Row extends Record<string, unknown>, T>(
  query: Query,
  name: string,
  text: string,
  params: unknown[],
  map: (row: Row) => T,
): Promise<T[]> {
  return (await query<Row>(name, text, params)).rows.map(map);
}

/** The first row a prepared statement answers, mapped to its record; undefined when none. */
export async function firstRow<Row extends Record<string, unknown>, T>(
  query: Query,
  name: string,
  text: string,
  params: unknown[],
  map: (row: Row) => T,
): Promise<T | undefined> {
  const [row] = (await query<Row>(name, text, params)).rows;
  return row && map(row);
}

/** One statement inside a transaction, answered with its rows (int8 as bigint or decimal text). */
export type SqlStatement = (text: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;

/** Runs `work` in a transaction of its own on one session: COMMIT when it resolves, ROLLBACK when it throws. */
export type SqlTransaction = <T>(work: (sql: SqlStatement) => Promise<T>) => Promise<T>;
