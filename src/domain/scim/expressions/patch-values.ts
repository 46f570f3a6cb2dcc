import { findAttribute } from '../model/attribute-definition.js';
import type { AttributeDefinition } from '../model/attribute-definition.js';
import { getAttribute, isRecord, keyOf } from '../model/json.js';
import { scimErrors } from '../model/scim-error.js';

/**
 * Values as PATCH writes them: coerced to the attribute's type, copied out of the request, and
 * compared the way SCIM compares them.
 */

type JsonObject = Record<string, unknown>;

const invalid = scimErrors.invalidValue;
const show = (value: unknown) => JSON.stringify(value) ?? String(value);

/**
 * `value` made fit for an attribute defined by `definition` (unknown attributes are copied as they
 * are). Complex values keep null sub-attributes, which merging reads as "unassign" (RFC 7643 §2.5).
 */
export function coerceValue(
  definition: AttributeDefinition | undefined,
  value: unknown,
  label: string,
): unknown {
  if (definition === undefined) return structuredClone(value);
  if (definition.multiValued) {
    // Google Workspace and OneLogin may send one member as an object rather than a list of one.
    const items = Array.isArray(value) ? value : [value];
    return items
      .filter((item) => item !== null && item !== undefined)
      .map((item) => coerceOne(definition, item, label));
  }
  if (Array.isArray(value)) {
    if (value.length !== 1) throw invalid(`${label} takes a single value, not a list of ${value.length}`);
    return coerceOne(definition, value[0], label);
  }
  return coerceOne(definition, value, label);
}

/** One value (one element, for a multi-valued attribute) of the attribute `definition`. */
export function coerceOne(
  definition: AttributeDefinition | undefined,
  value: unknown,
  label: string,
): unknown {
  if (definition === undefined || value === null) return structuredClone(value);
  switch (definition.type) {
    case 'complex':
      return coerceComplex(definition, value, label);
    case 'boolean':
      return coerceBoolean(value, label);
    case 'integer':
    case 'decimal':
      return coerceNumber(definition.type, value, label);
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw invalid(`${label} takes a string, not ${show(value)}`);
  }
}

function coerceComplex(definition: AttributeDefinition, value: unknown, label: string): JsonObject {
  const subAttributes = definition.subAttributes;
  if (!isRecord(value)) {
    // Entra ID sends the enterprise `manager` as the manager's id alone; RFC 7643 §2.4 makes `value`
    // the sub-attribute that carries a complex attribute's primary value.
    if (typeof value !== 'object' && findAttribute(subAttributes, 'value')) {
      return { value: coerceOne(findAttribute(subAttributes, 'value'), value, `${label}.value`) };
    }
    throw invalid(`${label} is complex: its value must be an object of sub-attributes, not ${show(value)}`);
  }
  const result: JsonObject = {};
  for (const [name, item] of Object.entries(value)) {
    const sub = findAttribute(subAttributes, name);
    result[sub?.name ?? name] = item === null ? null : coerceValue(sub, item, `${label}.${name}`);
  }
  return result;
}

/** Entra ID sends booleans as the strings "True" and "False". */
function coerceBoolean(value: unknown, label: string): boolean {
  if (typeof value === 'boolean') return value;
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === 'true' || text === 'false') return text === 'true';
  throw invalid(`${label} is a boolean; ${show(value)} is neither true nor false`);
}

function coerceNumber(type: 'integer' | 'decimal', value: unknown, label: string): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (
    typeof number === 'number' &&
    Number.isFinite(number) &&
    (type === 'decimal' || Number.isInteger(number))
  ) {
    return number;
  }
  throw invalid(`${label} is ${type === 'integer' ? 'an integer' : 'a number'}; got ${show(value)}`);
}

/** Writes `source`'s sub-attributes into `target`; a null one unassigns it (RFC 7643 §2.5). */
export function mergeInto(target: JsonObject, source: Readonly<JsonObject>): JsonObject {
  for (const [name, value] of Object.entries(source)) {
    const key = keyOf(target, name) ?? name;
    if (value === null || value === undefined) delete target[key];
    else target[key] = value;
  }
  return target;
}

/**
 * Whether two values of a multi-valued attribute are the same value: RFC 7643 §2.4 elements are
 * told apart by `value` (and `type`, when both have one), so `{"value":"x","$ref":null}` from Entra
 * ID is the member `{"value":"x","display":"Ada"}` already held. Without `value`, the whole element.
 */
export function sameElement(a: unknown, b: unknown, caseExact: boolean): boolean {
  if (isRecord(a) && isRecord(b)) {
    const [valueA, valueB] = [getAttribute(a, 'value'), getAttribute(b, 'value')];
    if (valueA === undefined || valueA === null || valueB === undefined || valueB === null)
      return sameJson(a, b);
    const [typeA, typeB] = [getAttribute(a, 'type'), getAttribute(b, 'type')];
    const sameType =
      typeof typeA !== 'string' || typeof typeB !== 'string' || typeA.toLowerCase() === typeB.toLowerCase();
    return sameType && sameScalar(valueA, valueB, caseExact);
  }
  return sameScalar(a, b, caseExact);
}

function sameScalar(a: unknown, b: unknown, caseExact: boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !caseExact)
    return a.toLowerCase() === b.toLowerCase();
  return sameJson(a, b);
}

/**
 * JSON equality as SCIM sees it: names case-insensitive (RFC 7643 §2.1), null sub-attributes the
 * same as absent ones (§2.5), and multi-valued attributes unordered.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const unmatched = [...b];
    return a.every((item) => {
      const index = unmatched.findIndex((other) => sameJson(item, other));
      return index >= 0 && unmatched.splice(index, 1).length === 1;
    });
  }
  if (isRecord(a) && isRecord(b)) {
    const assigned = (object: JsonObject) => Object.keys(object).filter((key) => object[key] !== null);
    const keysA = assigned(a);
    return (
      keysA.length === assigned(b).length && keysA.every((key) => sameJson(a[key], getAttribute(b, key)))
    );
  }
  return a === b;
}
