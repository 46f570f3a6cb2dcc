/**
 * The SCIM filter tree (RFC 7644 §3.4.2.2). Attribute and sub-attribute names are lower-cased,
 * since RFC 7643 §2.1 makes them case-insensitive; a schema URN prefix is kept apart, as written, so
 * that a SQL translation can pick the extension's storage without re-parsing.
 */

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** A `compValue`: RFC 7644 §3.4.2.2 allows JSON false, null, true, numbers and strings. */
export type FilterValue = string | number | boolean | null;

/** An attribute, optionally qualified by the schema URN that defines it. */
export interface AttributeRef {
  readonly schema?: string;
  readonly attribute: string;
}

/** `attrPath = [URI ":"] ATTRNAME *1subAttr` */
export interface AttributePath extends AttributeRef {
  readonly subAttribute?: string;
}

export interface CompareFilter {
  readonly kind: 'compare';
  readonly path: AttributePath;
  readonly op: CompareOperator;
  readonly value: FilterValue;
}

export interface PresentFilter {
  readonly kind: 'present';
  readonly path: AttributePath;
}

export interface LogicalFilter {
  readonly kind: 'and' | 'or';
  readonly left: Filter;
  readonly right: Filter;
}

export interface NotFilter {
  readonly kind: 'not';
  readonly filter: Filter;
}

/**
 * `emails[type eq "work"]`: true when one element of the multi-valued attribute matches `filter`,
 * whose paths name sub-attributes of that element (`type`), never the resource.
 */
export interface ValuePathFilter {
  readonly kind: 'valuePath';
  readonly attribute: AttributeRef;
  readonly filter: Filter;
}

export type Filter = CompareFilter | PresentFilter | LogicalFilter | NotFilter | ValuePathFilter;
