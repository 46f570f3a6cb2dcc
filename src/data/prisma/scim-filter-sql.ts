import type {
  AttributePath,
  AttributeRef,
  CompareOperator,
  Filter,
  FilterValue,
  LogicalFilter,
} from '../../domain/scim/expressions/index.js';
import { scimErrors } from '../../domain/scim/model/index.js';
import { Prisma } from './prisma-client.js';
import type { ElementSource } from './scim-sql-elements.js';
import { FALSE, matchOperand, not, operandExists, operandPresent } from './scim-sql-operands.js';
import { PathResolver } from './scim-sql-paths.js';
import type { Purpose, Target } from './scim-sql-paths.js';
import { GROUP_TABLE, USER_TABLE } from './scim-sql-tables.js';
import type { ResourceTable } from './scim-sql-tables.js';

export { groupOrderBy, userOrderBy } from './scim-sort-sql.js';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) as PostgreSQL boolean expressions with the semantics of the
 * in-memory evaluator (`matchesFilter`): same matches, but answered by the table's indexes where
 * one fits. Values are always parameters.
 */

/** Over `directory_users u`; the caller adds `u.directory_id = ... AND (...)`. */
export function userFilterSql(filter: Filter): Prisma.Sql {
  return new FilterTranslator(USER_TABLE).translate(filter);
}

/** Over `directory_groups g`. */
export function groupFilterSql(filter: Filter): Prisma.Sql {
  return new FilterTranslator(GROUP_TABLE).translate(filter);
}

/** Inside `attr[...]`: paths name sub-attributes of one element of `attr`. */
interface ElementScope {
  readonly ref: AttributeRef;
  readonly source: ElementSource;
}

class FilterTranslator {
  private readonly paths: PathResolver;

  constructor(table: ResourceTable) {
    this.paths = new PathResolver(table, scimErrors.invalidFilter);
  }

  /**
   * Recursion happens only where the kind of node changes; a run of `and` (or of `or`) becomes
   * one flat SQL list, so a long chain costs no stack here and no nesting in PostgreSQL's parser.
   * Changes of kind need parentheses, which the parser caps (FILTER_LIMITS.maxDepth).
   */
  translate(filter: Filter, scope?: ElementScope): Prisma.Sql {
    switch (filter.kind) {
      case 'and':
      case 'or': {
        const terms = chainOf(filter).map((term) => this.translate(term, scope));
        return Prisma.sql`(${Prisma.join(terms, filter.kind === 'and' ? ' AND ' : ' OR ')})`;
      }
      case 'not':
        return not(this.translate(filter.filter, scope));
      case 'present':
        return present(this.target(filter.path, 'present', scope));
      case 'compare':
        return compare(
          this.target(filter.path, 'compare', scope),
          filter.op,
          filter.value,
          describe(filter.path, scope),
        );
      case 'valuePath': {
        const source = this.paths.valuePath(filter.attribute);
        if (!source) return FALSE;
        return source.some(this.translate(filter.filter, { ref: filter.attribute, source }));
      }
    }
  }

  private target(path: AttributePath, purpose: Purpose, scope: ElementScope | undefined): Target {
    if (scope) return { kind: 'one', operand: scope.source.sub(path.attribute) };
    return this.paths.resolve(path, purpose);
  }
}

function chainOf(filter: LogicalFilter): Filter[] {
  const terms: Filter[] = [];
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next.kind === filter.kind) pending.push(next.right, next.left);
    else terms.push(next);
  }
  return terms;
}

function present(target: Target): Prisma.Sql {
  return target.kind === 'one'
    ? operandPresent(target.operand)
    : target.source.some(operandPresent(target.operand));
}

/**
 * RFC 7644 §3.4.2.2 over the values a path selects: `eq null` is "no value" and `ne null` "some
 * value" (RFC 7643 §2.5); `ne` holds when there is no value or some value differs; every other
 * operator holds when some value satisfies it.
 */
function compare(target: Target, op: CompareOperator, value: FilterValue, name: string): Prisma.Sql {
  if (target.kind === 'one') {
    const { operand } = target;
    if (value === null) return op === 'eq' ? not(operandPresent(operand)) : operandPresent(operand);
    return op === 'ne'
      ? not(matchOperand(operand, 'eq', value, name))
      : matchOperand(operand, op, value, name);
  }
  const { source, operand } = target;
  if (value === null) {
    const any = source.some(operandPresent(operand));
    return op === 'eq' ? not(any) : any;
  }
  if (op === 'ne') {
    const differs = Prisma.sql`${operandExists(operand)} AND ${not(matchOperand(operand, 'eq', value, name))}`;
    return Prisma.sql`(${not(source.some(operandExists(operand)))} OR ${source.some(differs)})`;
  }
  if (op === 'eq' && typeof value === 'string' && target.contains) return target.contains(value);
  return source.some(matchOperand(operand, op, value, name));
}

function describe(path: AttributePath, scope: ElementScope | undefined): string {
  const qualified = scope ? { ...scope.ref, subAttribute: path.attribute } : path;
  const name =
    qualified.subAttribute === undefined
      ? qualified.attribute
      : `${qualified.attribute}.${qualified.subAttribute}`;
  return qualified.schema === undefined ? name : `${qualified.schema}:${name}`;
}
