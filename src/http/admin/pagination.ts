import { z } from 'zod';
import type { PageRequest } from '../../domain/ports/tenancy.js';
import { ProblemError } from './problem.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Spread into a route's query schema: `z.strictObject({ ...pageQuery, status: ... })`. */
export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: 'Page size.' }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'Opaque: the `next_cursor` of the previous page.' }),
};

export interface PageQuery {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  data: T[];
  /** null on the last page. */
  next_cursor: string | null;
}

/** Returns a schema for `Page<item>`, for a route's `responses`. */
export function pageOf<S extends z.ZodType>(item: S) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

const CursorPayload = z.strictObject({ after: z.string().min(1).max(256) });

export function encodeCursor(after: string): string {
  return Buffer.from(JSON.stringify({ after })).toString('base64url');
}

/**
 * Cursors are opaque to clients but not secret: a forged one only moves the keyset position, and
 * repositories scope every read, so it is validated for shape and not signed.
 */
export function decodeCursor(cursor: string): string {
  try {
    const json: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return CursorPayload.parse(json).after;
  } catch {
    throw new ProblemError(
      400,
      'invalid_cursor',
      'The cursor is not one this API issued. Start from page one.',
    );
  }
}

/**
 * Keyset pagination over rows ordered by id: asks for one row more than the page holds, so the
 * answer says whether another page exists without a count query.
 */
export async function paginate<T extends { id: string }>(
  query: PageQuery,
  fetch: (page: PageRequest) => Promise<T[]>,
): Promise<Page<T>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await fetch({ after, limit: query.limit + 1 });
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, next_cursor: rows.length > query.limit && last ? encodeCursor(last.id) : null };
}
