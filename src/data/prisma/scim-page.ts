import type { PageHints, ScimPage } from '../../domain/ports/directories.js';
import type { Prisma, PrismaExecutor } from './prisma-client.js';

/**
 * One SCIM page (RFC 7644 §3.4.2.4: 1-based startIndex and count) of ids, and the total. Ids
 * first, rows after: the OFFSET walks ids only, and the full rows are read for one page alone.
 * The total is counted only when the page cannot tell it: a page that is not full ends the list
 * (a lookup by userName is one query), and a total learnt by an earlier page of the same walk
 * is reused (list-cursors.ts).
 */
export async function pageOfIds(
  db: PrismaExecutor,
  query: {
    from: Prisma.Sql;
    where: Prisma.Sql;
    orderBy: Prisma.Sql;
    alias: Prisma.Sql;
    startIndex: number;
    count: number;
  },
  hints: PageHints = {},
): Promise<{ totalResults: number; ids: string[] }> {
  const countAll = async () => {
    const [counted] = await db.$queryRaw<Array<{ total: bigint }>>`
      SELECT count(*) AS total FROM ${query.from} WHERE ${query.where}`;
    return Number(counted?.total ?? 0);
  };
  if (query.count === 0) return { totalResults: hints.total ?? (await countAll()), ids: [] };
  const rows =
    hints.afterId !== undefined && hints.total !== undefined
      ? // The page after one served before, in id order: an index range, however deep the page.
        await db.$queryRaw<Array<{ id: string }>>`
          SELECT ${query.alias}.id FROM ${query.from} WHERE ${query.where} AND ${query.alias}.id > ${hints.afterId}
          ORDER BY ${query.alias}.id LIMIT ${query.count}`
      : await db.$queryRaw<Array<{ id: string }>>`
          SELECT ${query.alias}.id FROM ${query.from} WHERE ${query.where}
          ORDER BY ${query.orderBy} OFFSET ${query.startIndex - 1} LIMIT ${query.count}`;
  const ids = rows.map((row) => row.id);
  if (hints.total !== undefined) return { totalResults: hints.total, ids };
  const endsHere = ids.length > 0 && ids.length < query.count;
  if (endsHere || (ids.length === 0 && query.startIndex === 1)) {
    return { totalResults: query.startIndex - 1 + ids.length, ids };
  }
  return { totalResults: await countAll(), ids };
}

/**
 * The page's records in the page's order: its ids as pageOfIds finds them, then `load` reads the
 * rows of those ids (in any order).
 */
export async function pageOfRecords<T extends { id: string }>(
  db: PrismaExecutor,
  query: Parameters<typeof pageOfIds>[1],
  hints: PageHints | undefined,
  load: (ids: string[]) => Promise<T[]>,
): Promise<ScimPage<T>> {
  const { totalResults, ids } = await pageOfIds(db, query, hints);
  if (ids.length === 0) return { totalResults, items: [] };
  const byId = new Map((await load(ids)).map((record) => [record.id, record]));
  return { totalResults, items: ids.flatMap((id) => byId.get(id) ?? []) };
}
