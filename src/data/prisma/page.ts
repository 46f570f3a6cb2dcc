import type { PageRequest } from '../../domain/ports/tenancy.js';

/**
 * The `id` condition of a keyset page (ids after `page.after`), optionally limited to `ids`.
 * Undefined when there is nothing to filter on, so Prisma leaves the column alone.
 */
export function idAfter(
  page: PageRequest,
  ids?: readonly string[],
): { gt?: string; in?: string[] } | undefined {
  if (page.after === undefined && ids === undefined) return undefined;
  return {
    ...(page.after === undefined ? {} : { gt: page.after }),
    ...(ids === undefined ? {} : { in: [...ids] }),
  };
}

/** Keyset page arguments: ascending ids, at most `limit` rows. */
export function pageArgs(page: PageRequest) {
  return { orderBy: { id: 'asc' as const }, take: page.limit };
}
