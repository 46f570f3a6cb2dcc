import { scimErrors } from './scim-error.js';
import { LIST_RESPONSE_MESSAGE } from './schema-urns.js';

/** RFC 7644 §3.4.2.4 lets the server cap a page; ServiceProviderConfig advertises the same number. */
export const MAX_RESULTS = 200;

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_MESSAGE];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}

/**
 * RFC 7644 §3.4.2: the query response envelope. `Resources` is always present, even empty: Okta
 * and Entra ID read it unconditionally. `itemsPerPage` defaults to the page actually returned.
 */
export function listResponse<T>(
  resources: readonly T[],
  page: { totalResults: number; startIndex: number; itemsPerPage?: number },
): ListResponse<T> {
  return {
    schemas: [LIST_RESPONSE_MESSAGE],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: page.itemsPerPage ?? resources.length,
    Resources: [...resources],
  };
}

export type SortOrder = 'ascending' | 'descending';

export interface Pagination {
  /** 1-based. */
  startIndex: number;
  count: number;
  sortBy?: string;
  sortOrder: SortOrder;
}

/** A query string as Koa and URLSearchParams-based parsers hand it over. */
export type QueryParameters = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * RFC 7644 §3.4.2.3 and §3.4.2.4 for a GET query. Parameter names are matched case-insensitively,
 * since nothing else can be meant by `StartIndex`. A value that is not an integer is refused rather than
 * guessed at; a repeated parameter is refused as ambiguous.
 */
export function parsePagination(query: QueryParameters, maxResults = MAX_RESULTS): Pagination {
  const startIndex = integerParameter(query, 'startIndex');
  const count = integerParameter(query, 'count');
  const sortBy = parameter(query, 'sortBy')?.trim();
  const sortOrder = parameter(query, 'sortOrder')?.trim().toLowerCase();
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw scimErrors.invalidValue('sortOrder must be "ascending" or "descending"');
  }
  return {
    // RFC 7644 §3.4.2.4: "A value less than 1 SHALL be interpreted as 1."
    startIndex: startIndex === undefined ? 1 : Math.max(1, startIndex),
    // RFC 7644 §3.4.2.4: a negative count is 0 (totalResults only); none, or more than the
    // server returns, is the server's maximum.
    count: count === undefined ? maxResults : Math.min(Math.max(0, count), maxResults),
    ...(sortBy ? { sortBy } : {}),
    // RFC 7644 §3.4.2.3: ascending unless the client asks otherwise.
    sortOrder: sortOrder ?? 'ascending',
  };
}

function integerParameter(query: QueryParameters, name: string): number | undefined {
  const raw = parameter(query, name)?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^[+-]?\d{1,15}$/u.test(raw)) throw scimErrors.invalidValue(`${name} must be an integer`);
  return Number(raw);
}

function parameter(query: QueryParameters, name: string): string | undefined {
  const values = Object.entries(query)
    .filter(([key, value]) => key.toLowerCase() === name.toLowerCase() && value !== undefined)
    .flatMap(([, value]) => (typeof value === 'string' ? [value] : [...(value ?? [])]));
  if (values.length > 1) throw scimErrors.invalidValue(`${name} is given more than once`);
  return values[0];
}
