import { findAttribute } from '../../domain/scim/model/index.js';
import type { AttributeDefinition } from '../../domain/scim/model/index.js';
import { Prisma } from './prisma-client.js';
import { ABSENT, columnOperand } from './scim-sql-operands.js';
import type { Column, Fold, Operand } from './scim-sql-operands.js';

/**
 * The values of a multi-valued attribute (RFC 7643 §2.4) as rows, so that "any value matches"
 * (RFC 7644 §3.4.2.2) is an EXISTS, and `emails[type eq "work" and value co "@x"]` holds both
 * conditions to the same row.
 */
export interface ElementSource {
  /** True when some element satisfies `condition`, written over this source's operands. */
  some(condition: Prisma.Sql): Prisma.Sql;
  /** `name` (lower-cased, as the filter AST has it) of one element; `value` for the element's value. */
  sub(name: string): Operand;
  /** The element whole, for `attr pr`. */
  readonly whole: Operand;
  /** The primary element's value of `expression`, else the first's (RFC 7644 §3.4.2.3 sortBy). */
  first(expression: Prisma.Sql): Prisma.Sql;
}

/** A fresh alias per source: subqueries never see each other's rows by accident. */
export class Aliases {
  private count = 0;
  next(prefix: string): Prisma.Sql {
    return Prisma.raw(`${prefix}${++this.count}`);
  }
}

/** A jsonb array of elements; a lone value stands for a list of one, as the evaluator reads it. */
export function jsonElements(
  json: Prisma.Sql,
  definition: AttributeDefinition,
  aliases: Aliases,
): ElementSource {
  const alias = aliases.next('e');
  const element = Prisma.sql`${alias}.v`;
  const list = Prisma.sql`CASE COALESCE(jsonb_typeof(${json}), 'null') WHEN 'array' THEN ${json}
    WHEN 'null' THEN '[]'::jsonb ELSE jsonb_build_array(${json}) END`;
  // RFC 7643 §2.4: a simple multi-valued attribute's element is its own `value`.
  const value = Prisma.sql`CASE WHEN jsonb_typeof(${element}) = 'object' THEN ${element} -> 'value' ELSE ${element} END`;
  const valueDefinition = definition.subAttributes
    ? findAttribute(definition.subAttributes, 'value')
    : definition;
  return {
    some: (condition) =>
      Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${list}) AS ${alias}(v) WHERE ${condition})`,
    sub(name) {
      if (name === 'value') return valueDefinition ? jsonOperand(value, valueDefinition) : ABSENT;
      const sub = findAttribute(definition.subAttributes, name);
      return sub ? jsonOperand(Prisma.sql`${element} -> ${sub.name}::text`, sub) : ABSENT;
    },
    whole: jsonOperand(element, definition),
    first: (expression) =>
      Prisma.sql`(SELECT ${expression} FROM jsonb_array_elements(${list}) WITH ORDINALITY AS ${alias}(v, n)
        ORDER BY (${element} -> 'primary' = 'true'::jsonb) IS TRUE DESC, ${alias}.n LIMIT 1)`,
  };
}

export function jsonOperand(sql: Prisma.Sql, definition: AttributeDefinition): Operand {
  return { kind: 'json', sql, type: definition.type, caseExact: definition.caseExact };
}

/** A SQL text[] (the lower-cased `emails` column, the computed `schemas`); elements are values. */
export function textElements(array: Prisma.Sql, fold: Fold, aliases: Aliases): ElementSource {
  const alias = aliases.next('t');
  const operand: Operand = { kind: 'text', sql: Prisma.sql`${alias}.v`, nullable: true, fold };
  return {
    some: (condition) =>
      Prisma.sql`EXISTS (SELECT 1 FROM unnest(${array}) AS ${alias}(v) WHERE ${condition})`,
    sub: (name) => (name === 'value' ? operand : ABSENT),
    whole: operand,
    first: (expression) =>
      Prisma.sql`(SELECT ${expression} FROM unnest(${array}) WITH ORDINALITY AS ${alias}(v, n)
        ORDER BY ${alias}.n LIMIT 1)`,
  };
}

/**
 * Rows of another table, one per element (group memberships). `from` and `where` get the alias;
 * `subs` gives each sub-attribute read from the row, `order` the order the resource lists them in.
 */
export interface RelationSpec {
  readonly from: (alias: Prisma.Sql) => Prisma.Sql;
  readonly where: (alias: Prisma.Sql) => Prisma.Sql;
  readonly order: (alias: Prisma.Sql) => Prisma.Sql;
  /** By canonical sub-attribute name; sub-attributes the served resource lacks are absent. */
  readonly subs: Readonly<Record<string, (alias: Prisma.Sql) => Column>>;
  /** Sub-attributes the served resource carries but the database cannot compute (`$ref`). */
  readonly unsupported: readonly string[];
}

export function relationElements(
  spec: RelationSpec,
  definition: AttributeDefinition,
  aliases: Aliases,
  unsupported: (name: string) => never,
): ElementSource {
  const alias = aliases.next('r');
  const rows = Prisma.sql`FROM ${spec.from(alias)} WHERE ${spec.where(alias)}`;
  return {
    some: (condition) => Prisma.sql`EXISTS (SELECT 1 ${rows} AND ${condition})`,
    sub(name) {
      const sub = findAttribute(definition.subAttributes, name);
      if (!sub) return ABSENT;
      if (spec.unsupported.includes(sub.name)) unsupported(`${definition.name}.${sub.name}`);
      const column = spec.subs[sub.name]?.(alias);
      return column ? columnOperand(column, sub) : ABSENT;
    },
    // Each row is a member with an id: present whenever it exists.
    whole: { kind: 'record' },
    first: (expression) => Prisma.sql`(SELECT ${expression} ${rows} ORDER BY ${spec.order(alias)} LIMIT 1)`,
  };
}

/**
 * A single-valued attribute inside `attr[...]`: the evaluator treats it as a list of one, so the
 * filter applies to it when it is there.
 */
export function singleElement(
  exists: Prisma.Sql,
  sub: (name: string) => Operand,
  whole: Operand,
): ElementSource {
  return {
    some: (condition) => Prisma.sql`(${exists} AND ${condition})`,
    sub,
    whole,
    first: (expression) => expression,
  };
}
