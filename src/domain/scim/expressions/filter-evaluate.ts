import { getAttribute, isRecord } from '../model/json.js';
import { scimErrors } from '../model/scim-error.js';
import type { AttributePath, AttributeRef, CompareOperator, Filter, FilterValue } from './filter-ast.js';
import { defaultCaseExact, inCoreSchema } from './schema-lookup.js';

/**
 * Evaluates a filter against a SCIM resource held as JSON, with RFC 7644 §3.4.2.2 semantics: a
 * multi-valued attribute matches when any of its values does, strings compare case-insensitively
 * unless the attribute is caseExact (RFC 7643 §2.2), date-times chronologically, numbers numerically.
 */

export interface FilterOptions {
  /**
   * RFC 7643 §2.2 caseExact. Paths inside `attr[...]` arrive as `attr.subAttribute`, e.g.
   * `{ attribute: 'members', subAttribute: 'value' }`. Default: the User and Group schemas' flags.
   */
  readonly caseExact?: (path: AttributePath) => boolean;
}

type JsonObject = Readonly<Record<string, unknown>>;

interface Scope {
  readonly subject: JsonObject;
  /** Set inside `attr[...]`: `subject` is one element of `attr`. */
  readonly element?: AttributeRef;
  readonly caseExact: (path: AttributePath) => boolean;
}

export function matchesFilter(resource: JsonObject, filter: Filter, options: FilterOptions = {}): boolean {
  return evaluate(filter, { subject: resource, caseExact: options.caseExact ?? defaultCaseExact });
}

/** Whether `element`, a value of multi-valued `attribute`, satisfies the filter of `attribute[filter]`. */
export function matchesElement(
  element: unknown,
  attribute: AttributeRef,
  filter: Filter,
  options: FilterOptions = {},
): boolean {
  return evaluate(filter, {
    subject: asElement(element),
    element: attribute,
    caseExact: options.caseExact ?? defaultCaseExact,
  });
}

/** The object holding `attribute`'s schema: the resource itself, or its extension object. */
export function containerOf(resource: JsonObject, attribute: AttributeRef): JsonObject | undefined {
  if (inCoreSchema(attribute.schema)) return resource;
  const extension = getAttribute(resource, attribute.schema!);
  return isRecord(extension) ? extension : undefined;
}

/**
 * RFC 7644 §3.4.2.2 `pr`: "If the attribute has a non-empty value, or if it contains a non-empty
 * node for complex attributes"; RFC 7643 §2.5 counts null and `[]` as unassigned.
 */
export function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isRecord(value)) return Object.values(value).some(isPresent);
  return true;
}

/** A simple multi-valued attribute's element is treated as `{ value }`, as RFC 7643 §2.4 describes it. */
function asElement(element: unknown): JsonObject {
  return isRecord(element) ? element : { value: element };
}

function evaluate(filter: Filter, scope: Scope): boolean {
  switch (filter.kind) {
    case 'and':
      return evaluate(filter.left, scope) && evaluate(filter.right, scope);
    case 'or':
      return evaluate(filter.left, scope) || evaluate(filter.right, scope);
    case 'not':
      return !evaluate(filter.filter, scope);
    case 'present':
      return valuesAt(scope, filter.path, false).some(isPresent);
    case 'compare':
      return compare(scope, filter.path, filter.op, filter.value);
    case 'valuePath': {
      const container = containerOf(scope.subject, filter.attribute);
      const value = container && getAttribute(container, filter.attribute.attribute);
      const elements = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
      const inner: Scope = { ...scope, element: filter.attribute };
      return elements.some((element) => evaluate(filter.filter, { ...inner, subject: asElement(element) }));
    }
  }
}

/**
 * The values `path` selects, flattened. With `comparable`, a multi-valued complex attribute named
 * without a sub-attribute yields its elements' `value`s: RFC 7644 §3.4.2.2 filters
 * `emails co "example.com"` that way.
 */
function valuesAt(scope: Scope, path: AttributePath, comparable: boolean): unknown[] {
  const flat = (value: unknown): unknown[] =>
    Array.isArray(value)
      ? value.filter((item) => item !== undefined && item !== null)
      : value == null
        ? []
        : [value];
  if (scope.element !== undefined) return flat(getAttribute(scope.subject, path.attribute));
  const container = containerOf(scope.subject, path);
  if (container === undefined) return [];
  const value = getAttribute(container, path.attribute);
  const sub = path.subAttribute;
  if (sub !== undefined)
    return flat(value).flatMap((item) => (isRecord(item) ? flat(getAttribute(item, sub)) : []));
  if (!comparable || !Array.isArray(value)) return flat(value);
  return flat(value).flatMap((item) => (isRecord(item) ? flat(getAttribute(item, 'value')) : [item]));
}

function compare(scope: Scope, path: AttributePath, op: CompareOperator, value: FilterValue): boolean {
  const candidates = valuesAt(scope, path, true);
  // RFC 7643 §2.5: null means unassigned, so `eq null` asks for absence and `ne null` for presence.
  if (value === null) return op === 'eq' ? !candidates.some(isPresent) : candidates.some(isPresent);
  // RFC 7644 §3.4.2.2 "ne": not identical; an unassigned attribute is identical to nothing.
  if (op === 'ne' && candidates.length === 0) return true;
  const qualified: AttributePath = scope.element ? { ...scope.element, subAttribute: path.attribute } : path;
  const exact = scope.caseExact(qualified);
  return candidates.some((candidate) => test(candidate, op, value, exact, qualified));
}

function test(
  candidate: unknown,
  op: CompareOperator,
  value: string | number | boolean,
  exact: boolean,
  path: AttributePath,
): boolean {
  const actual = candidate instanceof Date ? candidate.toISOString() : candidate;
  if (typeof actual === 'boolean' && op !== 'eq' && op !== 'ne') {
    // RFC 7644 §3.4.2.2: comparing a boolean with gt/ge/lt/le (or co/sw/ew) "SHALL cause a failed response".
    throw scimErrors.invalidFilter(`'${op}' cannot compare the boolean attribute ${describe(path)}`);
  }
  if (op === 'co' || op === 'sw' || op === 'ew') {
    if (typeof actual !== 'string' || typeof value !== 'string') return false;
    const [a, b] = exact ? [actual, value] : [actual.toLowerCase(), value.toLowerCase()];
    return op === 'co' ? a.includes(b) : op === 'sw' ? a.startsWith(b) : a.endsWith(b);
  }
  const order = ordering(actual, value, exact);
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order !== undefined && order > 0;
    case 'ge':
      return order !== undefined && order >= 0;
    case 'lt':
      return order !== undefined && order < 0;
    case 'le':
      return order !== undefined && order <= 0;
  }
}

/** RFC 7643 §2.3.5 dateTime (xsd:dateTime); a value without an offset is read as UTC. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/i;

function instant(text: string): number | undefined {
  if (!DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(/(?:Z|[+-]\d{2}:\d{2})$/i.test(text) ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Negative, zero or positive as `actual` sorts before, with or after `value`; undefined if unlike. */
function ordering(actual: unknown, value: string | number | boolean, exact: boolean): number | undefined {
  if (typeof actual === 'string' && typeof value === 'string') {
    const [from, to] = [instant(actual), instant(value)];
    if (from !== undefined && to !== undefined) return Math.sign(from - to);
    const [a, b] = exact ? [actual, value] : [actual.toLowerCase(), value.toLowerCase()];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof actual === 'number' && typeof value === 'number') return Math.sign(actual - value);
  if (typeof actual === 'boolean' && typeof value === 'boolean') return actual === value ? 0 : 1;
  return undefined;
}

function describe(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}
