import type { PageRequest } from './ports/tenancy.js';

const PAGE_SIZE = 500;

/** Every row of a keyset-paged listing (ordered by id), read page by page. */
export async function allPages<T extends { id: string }>(
  fetch: (page: PageRequest) => Promise<T[]>,
): Promise<T[]> {
  const rows: T[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await fetch({ after, limit: PAGE_SIZE });
    rows.push(...page);
    if (page.length < PAGE_SIZE) return rows;
    after = page.at(-1)?.id;
  }
}
