/**
 * One parameterised statement, answered with its rows. On PostgreSQL it runs on any pooled
 * connection as a named prepared statement (parsed once per connection); on PGlite on its session.
 */
export type Query = <T extends Record<string, unknown>>(
  name: string,
  text: string,
  params: unknown[],
) => Promise<{ rows: T[]; rowCount: number }>;
