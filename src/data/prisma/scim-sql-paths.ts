import type { AttributePath, AttributeRef } from '../../domain/scim/expressions/index.js';
import {
  COMMON_ATTRIBUTES,
  SCHEMAS_ATTRIBUTE,
  findAttribute,
  isCoreSchema,
  sameUrn,
} from '../../domain/scim/model/index.js';
import type { AttributeDefinition, SchemaDefinition, ScimError } from '../../domain/scim/model/index.js';
import { Prisma } from './prisma-client.js';
import {
  Aliases,
  jsonElements,
  jsonOperand,
  relationElements,
  singleElement,
  textElements,
} from './scim-sql-elements.js';
import type { ElementSource } from './scim-sql-elements.js';
import { ABSENT, TRUE, columnOperand, operandExists } from './scim-sql-operands.js';
import type { Operand } from './scim-sql-operands.js';
import type { ResourceTable } from './scim-sql-tables.js';

/** What an attribute path selects: one value at most, or the values of a multi-valued attribute. */
export type Target =
  | { readonly kind: 'one'; readonly operand: Operand }
  | {
      readonly kind: 'many';
      readonly source: ElementSource;
      readonly operand: Operand;
      /** An `eq` the source can answer from an index (emails: `@>` on the GIN index). */
      readonly contains?: (value: string) => Prisma.Sql;
    };

/**
 * `compare` and `sort` read a multi-valued attribute named alone through its values (RFC 7644
 * §3.4.2.2 `emails co ...`, §3.4.2.3), `present` through its elements (an email without a value
 * is still an email).
 */
export type Purpose = 'compare' | 'present' | 'sort';

const ONE_ABSENT: Target = { kind: 'one', operand: ABSENT };

interface Found {
  readonly definition: AttributeDefinition;
  readonly extension?: SchemaDefinition;
}

/**
 * Resolves filter and sortBy paths against one resource table. Names only ever reach SQL as the
 * canonical spellings of the schema definitions, and as parameters.
 */
export class PathResolver {
  private readonly aliases = new Aliases();

  constructor(
    private readonly table: ResourceTable,
    /** The error for a path the database cannot evaluate (invalidFilter, or invalidValue for sortBy). */
    private readonly unsupported: (detail: string) => ScimError,
  ) {}

  resolve(path: AttributePath, purpose: Purpose): Target {
    const found = this.lookup(path);
    if (!found) return ONE_ABSENT;
    const { definition, extension } = found;
    const sub =
      path.subAttribute === undefined
        ? undefined
        : findAttribute(definition.subAttributes, path.subAttribute);
    // RFC 7644 §3.4.2.2: an attribute the resource does not have matches nothing (`ne` all).
    if (path.subAttribute !== undefined && !sub) return ONE_ABSENT;
    if (extension) return this.fromJson(this.jsonOf(found), definition, sub, purpose);
    const name = definition.name.toLowerCase();
    const key = sub ? `${name}.${sub.name.toLowerCase()}` : name;
    this.refuseUnsupported(key);
    const column = this.table.columns[key];
    if (column) return { kind: 'one', operand: columnOperand(column, sub ?? definition) };
    const array = this.table.valueArrays[name];
    if (array && purpose === 'compare' && (sub === undefined || sub.name === 'value')) {
      const source = textElements(array.sql, { kind: 'key', ...array.key }, this.aliases);
      const contains = (value: string) =>
        Prisma.sql`(${array.sql} IS NOT NULL AND ${array.sql} @> ARRAY[${array.key.equal(value)}::text])`;
      return { kind: 'many', source, operand: source.sub('value'), contains };
    }
    const source = this.elements(found);
    if (source === undefined) return this.fromJson(this.jsonOf(found), definition, sub, purpose);
    if (sub) return { kind: 'many', source, operand: source.sub(sub.name) };
    if (definition.name === 'meta') return { kind: 'one', operand: source.whole };
    return { kind: 'many', source, operand: purpose === 'present' ? source.whole : source.sub('value') };
  }

  /** The elements `attr[...]` ranges over (RFC 7644 §3.4.2.2 valuePath); undefined: none, ever. */
  valuePath(ref: AttributeRef): ElementSource | undefined {
    const found = this.lookup(ref);
    if (!found) return undefined;
    const own = found.extension ? undefined : this.elements(found);
    if (own) return own;
    const column = found.extension ? undefined : this.table.columns[found.definition.name.toLowerCase()];
    if (column) {
      // userName[value sw "a"]: the evaluator reads a single value as a list of one.
      const operand = columnOperand(column, found.definition);
      return singleElement(operandExists(operand), (name) => (name === 'value' ? operand : ABSENT), operand);
    }
    return jsonElements(this.jsonOf(found), found.definition, this.aliases);
  }

  /** Sources for what is not in `resource`: `schemas`, relations, `meta`. */
  private elements({ definition }: Found): ElementSource | undefined {
    const name = definition.name.toLowerCase();
    if (definition === SCHEMAS_ATTRIBUTE)
      return textElements(this.table.schemas, { kind: 'lower' }, this.aliases);
    const relation = this.table.relations[name];
    if (relation) {
      return relationElements(relation, definition, this.aliases, (path) => this.refuse(path));
    }
    if (name !== 'meta') return undefined;
    // meta is always there; its sub-attributes are columns.
    const sub = (subName: string) => {
      const target = this.resolve({ attribute: 'meta', subAttribute: subName }, 'compare');
      return target.kind === 'one' ? target.operand : ABSENT;
    };
    return singleElement(TRUE, sub, { kind: 'record' });
  }

  private fromJson(
    json: Prisma.Sql,
    definition: AttributeDefinition,
    sub: AttributeDefinition | undefined,
    purpose: Purpose,
  ): Target {
    if (definition.multiValued) {
      const source = jsonElements(json, definition, this.aliases);
      const operand = sub ? source.sub(sub.name) : purpose === 'present' ? source.whole : source.sub('value');
      return { kind: 'many', source, operand };
    }
    return {
      kind: 'one',
      operand: sub
        ? jsonOperand(Prisma.sql`${json} -> ${sub.name}::text`, sub)
        : jsonOperand(json, definition),
    };
  }

  private jsonOf({ definition, extension }: Found): Prisma.Sql {
    const alias = this.table.alias;
    // RFC 7643 §3.3: an extension's attributes sit in an object under the extension's URN.
    const container = extension
      ? Prisma.sql`(${alias}.resource -> ${extension.id}::text)`
      : Prisma.sql`${alias}.resource`;
    return Prisma.sql`(${container} -> ${definition.name}::text)`;
  }

  /**
   * RFC 7644 §3.10: no prefix or a core schema URN names the resource's own attributes (and the
   * common ones of RFC 7643 §3.1); an extension URN names that extension's.
   */
  private lookup(ref: AttributeRef): Found | undefined {
    const { resource } = this.table;
    if (ref.schema === undefined || isCoreSchema(ref.schema)) {
      const definition = findAttribute(
        [SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES, ...resource.core.attributes],
        ref.attribute,
      );
      return definition && { definition };
    }
    const extension = resource.extensions.find((candidate) => sameUrn(candidate.id, ref.schema!));
    const definition = extension && findAttribute(extension.attributes, ref.attribute);
    return definition && { definition, extension };
  }

  private refuseUnsupported(key: string): void {
    if (this.table.unsupported.includes(key)) this.refuse(key);
  }

  private refuse(path: string): never {
    throw this.unsupported(
      `${path} cannot be filtered or sorted on: its value depends on the server's base URL`,
    );
  }
}
