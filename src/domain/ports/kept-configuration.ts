/**
 * Answers about the configuration (organizations, domains, connections, routing rules, roles,
 * clients) kept in memory across requests and forgotten on every change, by any process
 * (data/sql/configuration-cache.ts).
 */
export interface KeptConfiguration {
  /** Whether answers are kept right now: only while changes are seen to be announced. */
  keeping(): boolean;
  /**
   * `read`'s answer for `key`, shared (frozen) until the next change; read every time when not
   * keeping. `tags` name narrower changes that forget it too (a user's: `user:<id>`).
   */
  remembered<T>(key: string, read: () => Promise<T>, tags?: readonly string[]): Promise<T>;
}
