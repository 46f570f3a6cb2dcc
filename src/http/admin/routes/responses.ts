import { z } from 'zod';
import type { PageRequest } from '../../../domain/ports/tenancy.js';
import { ADMIN_PREFIX } from '../admin-router.js';
import { paginate, type PageQuery } from '../pagination.js';
import type { ResponseSpec, RouteResult } from '../route.js';

/** Problems routes answer besides 400 and 401, described once. */
export const problems = {
  notFound: { 404: { description: 'Not found, or not visible to this API key.' } },
  forbidden: { 403: { description: 'The API key sees the object but may not do this to it.' } },
  conflict: { 409: { description: 'Contradicts what exists.' } },
  rule: { 422: { description: 'Well-formed, but breaks a rule; `field` names the input.' } },
} satisfies Record<string, Record<number, ResponseSpec>>;

/** 200 with `schema`, or 404: the answers of a route that reads or changes one object. */
export const found = (schema: z.ZodType, description: string) => ({
  200: { description, schema },
  ...problems.notFound,
});

/** 204, or 404: the answers of a DELETE. */
export const removed = (description = 'Deleted.') => ({ 204: { description }, ...problems.notFound });

export const ok = (body: unknown): RouteResult => ({ status: 200, body });
export const noContent = (): RouteResult => ({ status: 204 });

/** 201 with the new object's address (relative to the API root, e.g. `/organizations/org_1`). */
export const created = (path: string, body: unknown): RouteResult => ({
  status: 201,
  body,
  headers: { Location: `${ADMIN_PREFIX}${path}` },
});

/** One page of `fetch`'s rows, each shown through `toJson`. */
export async function pageResult<T extends { id: string }>(
  query: PageQuery,
  fetch: (page: PageRequest) => Promise<T[]>,
  toJson: (row: T) => unknown,
): Promise<RouteResult> {
  const { data, next_cursor } = await paginate(query, fetch);
  return ok({ data: data.map(toJson), next_cursor });
}

/** `{ data: [...] }` for collections small enough to come in one answer (roles, domains). */
export const listOf = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item) });

/** A name (role, domain) as one path segment of a Location. */
export const segment = (value: string) => encodeURIComponent(value);
