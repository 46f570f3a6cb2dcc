import type { ScimQuery } from '../../domain/ports/directories.js';
import { parseFilter } from '../../domain/scim/expressions/index.js';
import {
  isRecord,
  listsSchema,
  parseAttributeList,
  parsePagination,
  scimErrors,
  SEARCH_REQUEST_MESSAGE,
  type ProjectionOptions,
  type QueryParameters,
} from '../../domain/scim/model/index.js';

export interface ListRequest {
  query: ScimQuery;
  projection: ProjectionOptions;
}

const single = (value: string | readonly string[] | undefined) =>
  typeof value === 'string' ? value : value?.length === 1 ? value[0] : value === undefined ? undefined : null;

function fromParameters(parameters: QueryParameters): ListRequest {
  const pagination = parsePagination(parameters);
  const filter = single(parameters.filter);
  if (filter === null)
    throw scimErrors.invalidFilter('Give one filter parameter; combine conditions with and/or.');
  const attributes = single(parameters.attributes);
  const excluded = single(parameters.excludedAttributes);
  return {
    query: {
      ...(filter ? { filter: parseFilter(filter) } : {}),
      ...(pagination.sortBy ? { sortBy: pagination.sortBy } : {}),
      sortOrder: pagination.sortOrder,
      startIndex: pagination.startIndex,
      count: pagination.count,
    },
    projection: {
      ...(attributes ? { attributes } : {}),
      ...(excluded ? { excludedAttributes: excluded } : {}),
    },
  };
}

/** RFC 7644 §3.4.2: a GET's query parameters. */
export const listRequestFromQuery = (query: QueryParameters) => fromParameters(query);

/** RFC 7644 §3.4.3: the same request as a POST to `.search` (filters stay out of URLs and logs). */
export function listRequestFromSearch(body: unknown): ListRequest {
  if (!isRecord(body) || !listsSchema(body.schemas, SEARCH_REQUEST_MESSAGE)) {
    throw scimErrors.invalidSyntax(`A search request names the schema ${SEARCH_REQUEST_MESSAGE}.`);
  }
  const text = (value: unknown) =>
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  const list = (value: unknown) =>
    Array.isArray(value)
      ? value.filter((item): item is string => typeof item === 'string').join(',')
      : text(value);
  const parameters: Record<string, string> = {};
  for (const [name, read] of [
    ['filter', text],
    ['startIndex', text],
    ['count', text],
    ['sortBy', text],
    ['sortOrder', text],
    ['attributes', list],
    ['excludedAttributes', list],
  ] as const) {
    const value = read(body[name]);
    if (value !== undefined) parameters[name] = value;
  }
  return fromParameters(parameters);
}

/** Whether the projection leaves a group's members out (Entra ID asks excludedAttributes=members). */
export function excludesMembers(projection: ProjectionOptions): boolean {
  const names = (value: ProjectionOptions['attributes']) =>
    value === undefined ? [] : parseAttributeList(value).map((name) => name.toLowerCase());
  if (
    projection.attributes !== undefined &&
    !names(projection.attributes).some((name) => name.startsWith('members'))
  ) {
    return true;
  }
  return names(projection.excludedAttributes).includes('members');
}
