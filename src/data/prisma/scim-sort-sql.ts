import { findAttribute, resolveAttributePath, scimErrors } from '../../domain/scim/model/index.js';
import { Prisma } from './prisma-client.js';
import type { Operand } from './scim-sql-operands.js';
import { PathResolver } from './scim-sql-paths.js';
import type { Target } from './scim-sql-paths.js';
import { GROUP_TABLE, USER_TABLE } from './scim-sql-tables.js';
import type { ResourceTable } from './scim-sql-tables.js';

export type SortOrder = 'ascending' | 'descending';

/**
 * ORDER BY for RFC 7644 §3.4.2.3 over `directory_users u`. Without sortBy: by id. Ties always fall
 * back to id, so that pages (startIndex, count) neither repeat nor skip a resource.
 */
export function userOrderBy(sortBy?: string, sortOrder?: SortOrder): Prisma.Sql {
  return orderBy(USER_TABLE, sortBy, sortOrder);
}

/** The same over `directory_groups g`. */
export function groupOrderBy(sortBy?: string, sortOrder?: SortOrder): Prisma.Sql {
  return orderBy(GROUP_TABLE, sortBy, sortOrder);
}

function orderBy(
  table: ResourceTable,
  sortBy: string | undefined,
  sortOrder: SortOrder | undefined,
): Prisma.Sql {
  const id = Prisma.sql`${table.alias}.id`;
  if (sortBy === undefined || sortBy.trim() === '') return id;
  const resolved = resolveAttributePath(table.resource, sortBy);
  if (!resolved?.attribute) {
    throw scimErrors.invalidValue(`sortBy "${sortBy}" is not an attribute of a ${table.resource.name}`);
  }
  const definition = resolved.subAttribute ?? resolved.attribute;
  const byValue = resolved.attribute.multiValued && findAttribute(definition.subAttributes, 'value');
  if (definition.type === 'complex' && !byValue) {
    throw scimErrors.invalidValue(
      `sortBy "${resolved.path}" is complex: sort by one of its sub-attributes (RFC 7644 §3.4.2.3)`,
    );
  }
  const path = {
    ...(resolved.extension && { schema: resolved.schema.id }),
    attribute: resolved.attribute.name.toLowerCase(),
    ...(resolved.subAttribute && { subAttribute: resolved.subAttribute.name.toLowerCase() }),
  };
  const target = new PathResolver(table, scimErrors.invalidValue).resolve(path, 'sort');
  const key = sortKey(target);
  // "if there is no data for the specified sortBy value, they are ordered last if ascending and
  // first if descending" (§3.4.2.3).
  const direction = sortOrder === 'descending' ? 'DESC NULLS FIRST' : 'ASC NULLS LAST';
  return Prisma.sql`${key} ${Prisma.raw(direction)}, ${id}`;
}

/** A multi-valued attribute sorts by its primary value, else its first (§3.4.2.3). */
function sortKey(target: Target): Prisma.Sql {
  const key = operandKey(target.operand);
  return target.kind === 'one' ? key : target.source.first(key);
}

/**
 * Strings sort case-insensitively unless caseExact, in code point order ("no specific locale
 * implied", §3.4.2.3). An attribute the served resource never carries sorts as "no data".
 */
function operandKey(operand: Operand): Prisma.Sql {
  switch (operand.kind) {
    case 'text': {
      const value = operand.fold.kind === 'lower' ? Prisma.sql`lower(${operand.sql})` : operand.sql;
      return Prisma.sql`(${value} COLLATE "C")`;
    }
    case 'boolean':
    case 'time':
      return operand.sql;
    case 'json': {
      const json = operand.sql;
      if (operand.type === 'boolean') {
        return Prisma.sql`(CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN (${json})::boolean END)`;
      }
      if (operand.type === 'integer' || operand.type === 'decimal') {
        return Prisma.sql`(CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${json})::numeric END)`;
      }
      const value = Prisma.sql`(${json} #>> '{}')`;
      const folded = operand.caseExact ? value : Prisma.sql`lower(${value})`;
      return Prisma.sql`(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${folded} END COLLATE "C")`;
    }
    case 'record':
    case 'absent':
      return Prisma.raw('NULL');
  }
}
