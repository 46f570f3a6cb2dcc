import { createHash } from 'node:crypto';
import type { EphemeralStore } from '../ports/ephemeral-store.js';
import type { PageHints, ScimQuery } from '../ports/directories.js';

/** How long a list's total and page boundaries are kept for a client paging through it. */
const KEEP_SECONDS = 10 * 60;

/**
 * What serving one page of a SCIM list teaches about the next (RFC 7644 §3.4.2.4): the total, and
 * the id the next page starts after. A client paging through 100,000 users with startIndex then
 * costs an index range per page instead of an OFFSET that walks every earlier row, and one count
 * for the whole walk. Both are kept per generation of the directory's data: any write starts a new
 * generation, so nothing learnt before it is used after it (pages and totals stay exact).
 */
export function createListCursors(store: EphemeralStore) {
  const generationKey = (directoryId: string) => `scim:generation:${directoryId}`;
  const listKey = async (directoryId: string, kind: string, query: ScimQuery) => {
    const generation = (await store.get(generationKey(directoryId))) ?? '0';
    const shape = createHash('sha256')
      .update(
        JSON.stringify([
          kind,
          query.filter ?? null,
          query.sortBy ?? null,
          query.sortOrder ?? null,
          query.count,
        ]),
      )
      .digest('base64url');
    return `scim:list:${directoryId}:${generation}:${shape}`;
  };
  // Page boundaries only in id order (no sortBy): the keyset the repository walks.
  const ordered = (query: ScimQuery) => query.sortBy === undefined;

  return {
    /** A write to the directory: what earlier pages taught no longer holds. */
    async touch(directoryId: string): Promise<void> {
      await store.hit(generationKey(directoryId), 24 * 3600);
    },

    async hints(
      directoryId: string,
      kind: string,
      query: ScimQuery,
    ): Promise<{ key: string; hints: PageHints }> {
      const key = await listKey(directoryId, kind, query);
      // A first page starts a walk: it counts afresh (and a lookup by userName never needs more).
      if (query.startIndex === 1) return { key, hints: {} };
      const [total, afterId] = await Promise.all([
        store.get(`${key}:total`),
        ordered(query) ? store.get(`${key}:after:${query.startIndex}`) : undefined,
      ]);
      if (total === undefined) return { key, hints: {} };
      return { key, hints: { total: Number(total), ...(afterId === undefined ? {} : { afterId }) } };
    },

    /** After a page was served: the total, and where the page after it starts. */
    async remember(key: string, query: ScimQuery, page: { totalResults: number; ids: readonly string[] }) {
      // Only a full page may have one after it worth preparing for.
      if (page.ids.length < query.count) return;
      const writes = [store.put(`${key}:total`, String(page.totalResults), KEEP_SECONDS)];
      const last = page.ids.at(-1);
      if (ordered(query) && last !== undefined) {
        writes.push(store.put(`${key}:after:${query.startIndex + page.ids.length}`, last, KEEP_SECONDS));
      }
      await Promise.all(writes);
    },
  };
}
export type ListCursors = ReturnType<typeof createListCursors>;
