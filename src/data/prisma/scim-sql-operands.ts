import type { CompareOperator } from '../../domain/scim/expressions/index.js';
import { scimErrors } from '../../domain/scim/model/index.js';
import type { AttributeDefinition, AttributeType } from '../../domain/scim/model/index.js';
import { Prisma } from './prisma-client.js';

/**
 * One value a SCIM filter compares (RFC 7644 §3.4.2.2), as SQL. Every expression built here is
 * TRUE or FALSE, never NULL, so that `not (...)` negates exactly what the in-memory evaluator does.
 */

/** How text is compared: RFC 7643 §2.2 caseExact, or case-insensitively. */
export type Fold =
  | { readonly kind: 'exact' }
  | { readonly kind: 'lower' }
  /**
   * The column holds values the application already folded (user_name_key, emails): the filter
   * value is folded the same way in JavaScript, so the column's index answers `eq`.
   */
  | {
      readonly kind: 'key';
      readonly equal: (value: string) => string;
      readonly partial: (value: string) => string;
    };

export type Operand =
  | { readonly kind: 'text'; readonly sql: Prisma.Sql; readonly nullable: boolean; readonly fold: Fold }
  | { readonly kind: 'boolean'; readonly sql: Prisma.Sql }
  | { readonly kind: 'time'; readonly sql: Prisma.Sql }
  | {
      readonly kind: 'json';
      readonly sql: Prisma.Sql;
      readonly type: AttributeType;
      readonly caseExact: boolean;
    }
  /** A complex value that is always there and equals no compValue (`meta`). */
  | { readonly kind: 'record' }
  /** Nothing stored: unknown attributes and sub-attributes, which every resource lacks. */
  | { readonly kind: 'absent' };

/** Where a column-held attribute lives; its definition (RFC 7643 §7) says how to compare it. */
export interface Column {
  readonly sql: Prisma.Sql;
  readonly nullable?: boolean;
  /** Set when the column holds the value already folded (see Fold `key`). */
  readonly key?: Omit<Extract<Fold, { kind: 'key' }>, 'kind'>;
}

export function columnOperand(column: Column, definition: AttributeDefinition): Operand {
  if (definition.type === 'boolean') return { kind: 'boolean', sql: column.sql };
  if (definition.type === 'dateTime') return { kind: 'time', sql: column.sql };
  const fold: Fold = column.key
    ? { kind: 'key', ...column.key }
    : definition.caseExact
      ? { kind: 'exact' }
      : { kind: 'lower' };
  return { kind: 'text', sql: column.sql, nullable: column.nullable ?? false, fold };
}

export type MatchOperator = Exclude<CompareOperator, 'ne'>;
export type MatchValue = string | number | boolean;

export const TRUE = Prisma.raw('TRUE');
export const FALSE = Prisma.raw('FALSE');
export const ABSENT: Operand = { kind: 'absent' };

export const not = (sql: Prisma.Sql): Prisma.Sql => Prisma.sql`NOT (${sql})`;
const text = (value: string): Prisma.Sql => Prisma.sql`${value}::text`;

const ORDERING = { gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/** `%`, `_` and the escape character itself stand for themselves in the pattern (LIKE's default escape is `\`). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * True when the operand holds a value and that value satisfies `op value`, typed as the evaluator
 * types it: a string compValue matches strings, a number numbers, a boolean booleans.
 */
export function matchOperand(
  operand: Operand,
  op: MatchOperator,
  value: MatchValue,
  name: string,
): Prisma.Sql {
  if (op !== 'eq' && isBoolean(operand)) {
    // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean "SHALL cause a failed response"; co/sw/ew too.
    throw scimErrors.invalidFilter(`'${op}' cannot compare the boolean attribute ${name}`);
  }
  switch (operand.kind) {
    case 'text': {
      if (typeof value !== 'string') return FALSE;
      const test = matchText(operand.sql, operand.fold, op, value);
      return operand.nullable ? Prisma.sql`(${operand.sql} IS NOT NULL AND ${test})` : test;
    }
    case 'boolean':
      return typeof value === 'boolean' ? Prisma.sql`${operand.sql} = ${value ? TRUE : FALSE}` : FALSE;
    case 'time':
      return typeof value === 'string' ? matchTime(operand.sql, op, value, name) : FALSE;
    case 'json':
      return matchJson(operand, op, value);
    case 'record':
    case 'absent':
      return FALSE;
  }
}

/** A value is there (RFC 7643 §2.5: null is unassigned): what `ne` needs to tell "different" from "none". */
export function operandExists(operand: Operand): Prisma.Sql {
  switch (operand.kind) {
    case 'text':
      return operand.nullable ? Prisma.sql`${operand.sql} IS NOT NULL` : TRUE;
    case 'json':
      return Prisma.sql`COALESCE(jsonb_typeof(${operand.sql}) <> 'null', FALSE)`;
    case 'absent':
      return FALSE;
    default:
      return TRUE;
  }
}

/** RFC 7644 §3.4.2.2 `pr`: a non-empty value, or a complex one with a non-empty sub-value. */
export function operandPresent(operand: Operand): Prisma.Sql {
  switch (operand.kind) {
    case 'text':
      return operand.nullable
        ? Prisma.sql`(${operand.sql} IS NOT NULL AND ${operand.sql} <> '')`
        : Prisma.sql`${operand.sql} <> ''`;
    case 'json':
      return jsonPresent(operand.sql);
    case 'absent':
      return FALSE;
    default:
      return TRUE;
  }
}

function isBoolean(operand: Operand): boolean {
  return operand.kind === 'boolean' || (operand.kind === 'json' && operand.type === 'boolean');
}

function matchText(column: Prisma.Sql, fold: Fold, op: MatchOperator, value: string): Prisma.Sql {
  const side = (sql: Prisma.Sql) => (fold.kind === 'lower' ? Prisma.sql`lower(${sql})` : sql);
  const left = side(column);
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const folded = fold.kind === 'key' ? fold.partial(value) : value;
    const pattern = `${op === 'sw' ? '' : '%'}${escapeLike(folded)}${op === 'ew' ? '' : '%'}`;
    return Prisma.sql`${left} LIKE ${side(text(pattern))}`;
  }
  const folded = fold.kind !== 'key' ? value : op === 'eq' ? fold.equal(value) : fold.partial(value);
  const right = side(text(folded));
  if (op === 'eq') return Prisma.sql`${left} = ${right}`;
  // Code point order, whatever the database's collation: the evaluator compares strings that way.
  return Prisma.sql`${left} COLLATE "C" ${Prisma.raw(ORDERING[op])} ${right}`;
}

/** RFC 7643 §2.3.5 xsd:dateTime, as the evaluator reads it; no offset means UTC. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i;

function instant(value: string): string | undefined {
  if (!DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * created_at and updated_at hold UTC instants to the millisecond, served as `toISOString()`
 * (`meta.created`): eq and the orderings compare chronologically, co/sw/ew match that text.
 */
function matchTime(column: Prisma.Sql, op: MatchOperator, value: string, name: string): Prisma.Sql {
  if (op === 'co' || op === 'sw' || op === 'ew') {
    const served = Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    return matchText(served, { kind: 'lower' }, op, value);
  }
  const at = instant(value);
  if (at === undefined) throw scimErrors.invalidFilter(`${name} compares with a dateTime, not "${value}"`);
  // The ISO text ends in Z; a timestamp without time zone takes its fields as written, in UTC.
  const right = Prisma.sql`${at}::timestamp`;
  return op === 'eq'
    ? Prisma.sql`${column} = ${right}`
    : Prisma.sql`${column} ${Prisma.raw(ORDERING[op])} ${right}`;
}

/**
 * jsonb values are tested by type first, inside CASE so that no cast ever sees a value of the
 * wrong type (AND does not promise an order of evaluation).
 */
function matchJson(
  operand: Extract<Operand, { kind: 'json' }>,
  op: MatchOperator,
  value: MatchValue,
): Prisma.Sql {
  const json = operand.sql;
  if (typeof value === 'boolean') {
    return op === 'eq' ? Prisma.sql`COALESCE(${json} = ${value ? 'true' : 'false'}::jsonb, FALSE)` : FALSE;
  }
  if (typeof value === 'number') {
    if (op === 'co' || op === 'sw' || op === 'ew') return FALSE;
    const sign = op === 'eq' ? '=' : ORDERING[op];
    return Prisma.sql`CASE WHEN jsonb_typeof(${json}) = 'number'
      THEN (${json})::numeric ${Prisma.raw(sign)} ${String(value)}::numeric ELSE FALSE END`;
  }
  const fold: Fold = operand.caseExact ? { kind: 'exact' } : { kind: 'lower' };
  return Prisma.sql`CASE WHEN jsonb_typeof(${json}) = 'string'
    THEN ${matchText(Prisma.sql`(${json} #>> '{}')`, fold, op, value)} ELSE FALSE END`;
}

/**
 * The evaluator's isPresent at any depth: some number, boolean or non-empty string is reachable
 * through the value's arrays and objects (null, "", [] and {} hold nothing).
 */
const HOLDS_A_VALUE = Prisma.raw(
  `'$.** ? (@.type() == "number" || @.type() == "boolean" || @.type() == "string" && @ != "")'::jsonpath`,
);

function jsonPresent(json: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`COALESCE(jsonb_path_exists(${json}, ${HOLDS_A_VALUE}), FALSE)`;
}
