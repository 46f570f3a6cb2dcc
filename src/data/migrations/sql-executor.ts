/**
 * The little the migration runner needs from a database connection. It must be ONE session:
 * the advisory lock and BEGIN/COMMIT belong to the connection that issued them.
 */
export interface SqlExecutor {
  /** Runs a script that may hold several statements (simple-query protocol, no parameters). */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
