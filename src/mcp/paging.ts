import { z } from 'zod';
import { RuleViolationError } from '../domain/errors.js';
import type { PageRequest } from '../domain/ports/tenancy.js';

/** Page size and position, as the admin API takes them (its cursors work here too). */
export const pageFields = {
  limit: z.number().int().min(1).max(200).default(50).describe('Page size (1 to 200).'),
  cursor: z.string().max(512).optional().describe('The `next_cursor` of the previous page.'),
};

const CursorPayload = z.strictObject({ after: z.string().min(1).max(256) });

const encodeCursor = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');

function decodeCursor(cursor: string): string {
  try {
    return CursorPayload.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw new RuleViolationError('the cursor is not one this server issued', 'invalid_cursor', 'cursor');
  }
}

/** One keyset page: one row more than asked tells whether another page follows. */
export async function pageOf<T extends { id: string }>(
  query: { limit: number; cursor?: string | undefined },
  fetch: (page: PageRequest) => Promise<T[]>,
  toJson: (row: T) => unknown,
) {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await fetch({ after, limit: query.limit + 1 });
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return {
    data: data.map(toJson),
    next_cursor: rows.length > query.limit && last ? encodeCursor(last.id) : null,
  };
}
