import { findAttribute, sameName } from '../model/attribute-definition.js';
import type { AttributeDefinition, Mutability } from '../model/attribute-definition.js';
import { getAttribute, isRecord, keyOf } from '../model/json.js';
import type { ResourceSchemas } from '../model/resource-schemas.js';
import { ScimError, scimErrors } from '../model/scim-error.js';
import { sameUrn } from '../model/schema-urns.js';
import { readAttributePath } from './attribute-name.js';
import { parsePatchPath } from './attribute-path.js';
import type { PatchPath } from './attribute-path.js';
import type { AttributePath, AttributeRef, Filter } from './filter-ast.js';
import { isPresent, matchesElement } from './filter-evaluate.js';
import type { FilterOptions } from './filter-evaluate.js';
import { normalizeOperation } from './patch-request.js';
import type { PatchOperation, PatchOperationInput } from './patch-request.js';
import { coerceOne, coerceValue, mergeInto, sameElement, sameJson } from './patch-values.js';
import {
  caseExactFrom,
  definitionsOf,
  inCoreSchema,
  resourceTypeOf,
  valueIsCaseExact,
} from './schema-lookup.js';

/**
 * RFC 7644 §3.5.2 PATCH over a resource held as JSON. Operations apply in order to a copy; the first
 * that fails aborts the whole request (§3.5.2: "the operation is atomic"), so a caller either stores
 * the returned resource or nothing.
 */

export interface PatchOptions extends FilterOptions {
  /**
   * Which attributes are multi-valued, boolean, read-only, required or immutable. Default: the Group
   * type when `schemas` names the Group schema, otherwise User with the Enterprise User extension.
   * Attributes it does not define are accepted and stored as sent.
   */
  readonly resourceType?: ResourceSchemas;
}

type JsonObject = Record<string, unknown>;
type Target = PatchPath | { readonly kind: 'extension'; readonly schema: string };

export function applyPatch(
  resource: Readonly<JsonObject>,
  operations: readonly PatchOperationInput[],
  options: PatchOptions = {},
): JsonObject {
  const type = options.resourceType ?? resourceTypeOf(resource);
  const engine = new PatchEngine(structuredClone(resource) as JsonObject, type, {
    caseExact: options.caseExact ?? caseExactFrom(type),
  });
  operations.forEach((input, index) => {
    const operation = normalizeOperation(input, index);
    try {
      engine.apply(operation);
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
      const path = operation.path === undefined ? '' : ` ${operation.path}`;
      throw error.within(`Operations[${index}] (${operation.op}${path})`);
    }
  });
  return engine.finish();
}

const { noTarget, mutability, invalidPath, invalidValue } = scimErrors;

function describe(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return inCoreSchema(path.schema) ? name : `${path.schema}:${name}`;
}

class PatchEngine {
  /** Extension schema URNs as this resource spells them, to tell `urn:...:User` from an attribute. */
  private readonly extensions: string[];
  private readonly removedExtensions = new Set<string>();

  constructor(
    private readonly resource: JsonObject,
    private readonly type: ResourceSchemas,
    private readonly filterOptions: FilterOptions,
  ) {
    const schemas = getAttribute(resource, 'schemas');
    const declared = Array.isArray(schemas) ? schemas.filter((s): s is string => typeof s === 'string') : [];
    const held = Object.keys(resource).filter((key) => /^urn:/i.test(key) && isRecord(resource[key]));
    this.extensions = [...type.extensions.map((extension) => extension.id), ...declared, ...held].filter(
      (schema) => !inCoreSchema(schema),
    );
  }

  apply(operation: PatchOperation): void {
    const hasValue = operation.value !== undefined;
    if (operation.path !== undefined) {
      this.applyTo(this.target(operation.path), operation.op, operation.value, hasValue);
      return;
    }
    // RFC 7644 §3.5.2.2: "If 'path' is unspecified, the operation fails with ... 'noTarget'".
    if (operation.op === 'remove') throw noTarget(`'remove' needs a path naming what to remove`);
    // RFC 7644 §3.5.2.1 and §3.5.2.3: without a path, value holds attributes of the resource itself.
    if (!isRecord(operation.value)) {
      throw invalidValue(`without a path, '${operation.op}' needs an object of attributes as its value`);
    }
    // Entra ID puts paths in the keys, e.g. {"name.givenName": ..., "urn:...:User:department": ...}.
    for (const [key, value] of Object.entries(operation.value)) {
      this.applyTo(this.target(key), operation.op, value, true);
    }
  }

  /** Drops emptied extensions and lists the present ones in `schemas` (RFC 7643 §3). */
  finish(): JsonObject {
    const extensionKeys = Object.keys(this.resource).filter(
      (key) => /^urn:/i.test(key) && isRecord(this.resource[key]) && !inCoreSchema(key),
    );
    for (const key of extensionKeys) {
      if (!isPresent(this.resource[key])) {
        delete this.resource[key];
        this.removedExtensions.add(key.toLowerCase());
      }
    }
    const schemasKey = keyOf(this.resource, 'schemas');
    const schemas = schemasKey === undefined ? undefined : this.resource[schemasKey];
    if (schemasKey === undefined || !Array.isArray(schemas)) return this.resource;
    const present = (schema: unknown) =>
      typeof schema === 'string' && keyOf(this.resource, schema) !== undefined;
    const kept = schemas.filter(
      (schema) =>
        typeof schema !== 'string' || !this.removedExtensions.has(schema.toLowerCase()) || present(schema),
    );
    const listed = (key: string) => kept.some((schema) => typeof schema === 'string' && sameUrn(schema, key));
    const added = Object.keys(this.resource).filter(
      (key) => /^urn:/i.test(key) && isRecord(this.resource[key]) && !inCoreSchema(key) && !listed(key),
    );
    this.resource[schemasKey] = [...kept, ...added];
    return this.resource;
  }

  private target(text: string): Target {
    const extension = this.extensions.find((schema) => sameUrn(schema, text));
    return extension === undefined ? parsePatchPath(text) : { kind: 'extension', schema: extension };
  }

  private applyTo(target: Target, op: PatchOperation['op'], value: unknown, hasValue: boolean): void {
    switch (target.kind) {
      case 'extension':
        return this.applyExtension(target.schema, op, value);
      case 'attribute':
        if (op === 'remove') return this.remove(target.path, hasValue ? value : undefined);
        // RFC 7643 §2.5: null is "unassigned", so writing it removes the attribute.
        if (value === null) return this.remove(target.path, undefined);
        return this.write(target.path, op, value);
      case 'valuePath':
        return this.applyValuePath(target.attribute, target.filter, target.subAttribute, op, value);
    }
  }

  /** `path` = an extension schema URN: its attributes, one by one, as if each were named by path. */
  private applyExtension(schema: string, op: PatchOperation['op'], value: unknown): void {
    if (op === 'remove' || value === null) {
      const key = keyOf(this.resource, schema);
      if (key !== undefined) delete this.resource[key];
      this.removedExtensions.add(schema.toLowerCase());
      return;
    }
    if (!isRecord(value)) throw invalidValue(`${schema} is an extension: its value must be an object`);
    for (const [name, item] of Object.entries(value)) {
      const path = readAttributePath(name, 0, 'invalidPath', false);
      if (path.schema !== undefined)
        throw invalidPath(`'${name}' inside ${schema} cannot name another schema`);
      this.applyTo({ kind: 'attribute', path: { ...path, schema } }, op, item, true);
    }
  }

  /** The object holding the attributes of `schema`: the resource, or its extension object. */
  private container(schema: string | undefined, create: boolean): JsonObject | undefined {
    if (inCoreSchema(schema)) return this.resource;
    const key = keyOf(this.resource, schema!);
    const existing = key === undefined ? undefined : this.resource[key];
    if (isRecord(existing)) return existing;
    if (!create) return undefined;
    const created: JsonObject = {};
    this.resource[key ?? this.extensions.find((known) => sameUrn(known, schema!)) ?? schema!] = created;
    return created;
  }

  /** add / replace of an attribute or of one sub-attribute of a complex attribute (no filter). */
  private write(path: AttributePath, op: 'add' | 'replace', value: unknown): void {
    const { attribute: definition, subAttribute: subDefinition } = definitionsOf(this.type, path);
    const label = describe(path);
    const container = this.container(path.schema, true)!;
    const key = keyOf(container, path.attribute) ?? definition?.name ?? path.attribute;
    const current = container[key];
    if (path.subAttribute === undefined) {
      this.writeAttribute(container, key, definition, op, value, label);
      return;
    }
    if (definition?.multiValued || Array.isArray(current)) {
      throw invalidPath(
        `${path.attribute} is multi-valued: pick the values with a filter, e.g. ${path.attribute}[type eq "work"].${path.subAttribute}`,
      );
    }
    const parent = isRecord(current) ? current : {};
    const subKey = keyOf(parent, path.subAttribute) ?? subDefinition?.name ?? path.subAttribute;
    const next = coerceValue(subDefinition, value, label);
    const rule = definition?.mutability === 'readOnly' ? 'readOnly' : subDefinition?.mutability;
    if (this.unchangedOrRefused(rule, parent[subKey], next, label)) return;
    parent[subKey] = next;
    container[key] = parent;
  }

  private writeAttribute(
    container: JsonObject,
    key: string,
    definition: AttributeDefinition | undefined,
    op: 'add' | 'replace',
    value: unknown,
    label: string,
  ): void {
    const current = container[key];
    const next = coerceValue(definition, value, label);
    if (this.unchangedOrRefused(definition?.mutability, current, next, label)) return;
    const multiValued = definition
      ? definition.multiValued === true
      : Array.isArray(current) || Array.isArray(next);
    if (multiValued) {
      // RFC 7644 §3.5.2.1: add appends to a multi-valued attribute; §3.5.2.3: replace swaps them all.
      const kept =
        op === 'add' ? (Array.isArray(current) ? [...current] : current == null ? [] : [current]) : [];
      const incoming = Array.isArray(next) ? next : [next];
      this.store(container, key, this.addElements(kept, incoming, definition, label));
      return;
    }
    const complex = definition
      ? definition.type === 'complex'
      : isRecord(next) && (current === undefined || isRecord(current));
    if (complex && isRecord(next)) {
      // RFC 7644 §3.5.2.3: "Sub-attributes that are not specified in the 'value' parameter are left
      // unchanged"; §3.5.2.1 add does the same, sub-attribute by sub-attribute.
      const target = isRecord(current) ? current : {};
      this.guardSubAttributes(definition, target, next, label);
      this.store(container, key, mergeInto(target, next));
      return;
    }
    container[key] = next;
  }

  /**
   * Appends `incoming` to `list`, merging a value already held into its copy rather than adding it
   * twice (RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no
   * changes SHOULD be made").
   */
  private addElements(
    list: unknown[],
    incoming: readonly unknown[],
    definition: AttributeDefinition | undefined,
    label: string,
  ): unknown[] {
    const exact = valueIsCaseExact(definition);
    const madePrimary: unknown[] = [];
    for (const item of incoming) {
      const element = isRecord(item) ? mergeInto({}, item) : item;
      const held = list.find((candidate) => sameElement(candidate, element, exact));
      if (held === undefined) list.push(element);
      else if (isRecord(held) && isRecord(element)) {
        this.guardSubAttributes(definition, held, element, label);
        mergeInto(held, element);
      }
      if (isPrimary(element)) madePrimary.push(held ?? element);
    }
    this.settlePrimary(list, madePrimary, label);
    return list;
  }

  /** remove (or add/replace with null): RFC 7644 §3.5.2.2. */
  private remove(path: AttributePath, listed: unknown): void {
    const { attribute: definition, subAttribute: subDefinition } = definitionsOf(this.type, path);
    const label = describe(path);
    if (definition?.mutability === 'readOnly' || subDefinition?.mutability === 'readOnly') {
      throw mutability(`${label} is read-only`);
    }
    // RFC 7644 §3.5.2.2: removing a required attribute fails with "mutability".
    if (path.subAttribute === undefined && definition?.required) throw mutability(`${label} is required`);
    if (subDefinition?.mutability === 'immutable') throw mutability(`${label} is immutable`);
    const container = this.container(path.schema, false);
    const key = container && keyOf(container, path.attribute);
    if (container === undefined || key === undefined) return;
    const current = container[key];
    if (path.subAttribute === undefined && listed !== undefined && Array.isArray(current)) {
      // Entra ID removes group members by listing them in `value` rather than by a filter.
      const exact = valueIsCaseExact(definition);
      const drop = Array.isArray(listed) ? listed : [listed];
      this.store(
        container,
        key,
        current.filter((element) => !drop.some((item) => sameElement(element, item, exact))),
      );
      return;
    }
    if (path.subAttribute === undefined) {
      delete container[key];
      return;
    }
    const sub = path.subAttribute;
    for (const element of Array.isArray(current) ? current : [current]) {
      const subKey = isRecord(element) ? keyOf(element, sub) : undefined;
      if (subKey !== undefined) delete (element as JsonObject)[subKey];
    }
    this.store(container, key, Array.isArray(current) ? current.filter(isPresent) : current);
  }

  private applyValuePath(
    attribute: AttributeRef,
    filter: Filter,
    subAttribute: string | undefined,
    op: PatchOperation['op'],
    value: unknown,
  ): void {
    const path: AttributePath = { ...attribute, ...(subAttribute !== undefined && { subAttribute }) };
    const { attribute: definition, subAttribute: subDefinition } = definitionsOf(this.type, path);
    const label = describe(path);
    if (definition !== undefined && !definition.multiValued) {
      throw invalidPath(
        `${attribute.attribute} is single-valued; a [filter] selects values of a multi-valued attribute`,
      );
    }
    if (definition?.mutability === 'readOnly') throw mutability(`${describe(attribute)} is read-only`);
    const removing = op === 'remove' || value === null;
    const container = this.container(attribute.schema, !removing);
    if (container === undefined) return;
    const key = keyOf(container, attribute.attribute) ?? definition?.name ?? attribute.attribute;
    const current = container[key];
    if (current !== undefined && current !== null && !Array.isArray(current)) {
      throw invalidPath(
        `${attribute.attribute} is single-valued; a [filter] selects values of a multi-valued attribute`,
      );
    }
    const list: unknown[] = Array.isArray(current) ? current : [];
    const matches = list.filter((element) => matchesElement(element, attribute, filter, this.filterOptions));

    if (removing) {
      // RFC 7644 §3.5.2.2: the matched values (or their sub-attribute) go. Nothing matched means the
      // state the client asked for already holds, so Okta's and Entra ID's retries succeed.
      if (subAttribute === undefined) {
        this.store(
          container,
          key,
          list.filter((element) => !matches.includes(element)),
        );
        return;
      }
      if (subDefinition?.mutability === 'immutable' && matches.length > 0)
        throw mutability(`${label} is immutable`);
      for (const element of matches) {
        const subKey = isRecord(element) ? keyOf(element, subAttribute) : undefined;
        if (subKey !== undefined) delete (element as JsonObject)[subKey];
      }
      this.store(container, key, list.filter(isPresent));
      return;
    }

    if (matches.length === 0) {
      // RFC 7644 §3.5.2.3: replace with an unmatched filter is "noTarget", but replacing an
      // attribute that has no values at all "SHALL" be treated as an add.
      if (op === 'replace' && list.length > 0) {
        throw noTarget(`no value of ${describe(attribute)} matches the filter`);
      }
      // Entra ID adds `emails[type eq "work"].value` to a user with no work email yet: the filter's
      // eq terms describe the value to create.
      const template = templateOf(filter, definition);
      if (template === undefined) {
        throw noTarget(
          `no value of ${describe(attribute)} matches the filter, and only eq terms joined by 'and' describe a new one`,
        );
      }
      const fields = subAttribute === undefined ? value : { [subDefinition?.name ?? subAttribute]: value };
      const element = coerceOne(definition, isRecord(fields) ? { ...template, ...fields } : fields, label);
      if (!isRecord(element)) throw invalidValue(`${label} needs an object of sub-attributes`);
      this.store(container, key, this.addElements([...list], [element], definition, label));
      return;
    }

    const madePrimary: unknown[] = [];
    for (const element of matches) {
      if (!isRecord(element)) {
        list[list.indexOf(element)] = coerceOne(definition, value, label);
        continue;
      }
      if (subAttribute === undefined) {
        const next = coerceOne(definition, value, label);
        if (!isRecord(next)) throw invalidValue(`${label} needs an object of sub-attributes`);
        // RFC 7644 §3.5.2.3: a matched complex value takes the given sub-attributes, keeps the rest.
        this.guardSubAttributes(definition, element, next, label);
        mergeInto(element, next);
        if (isPrimary(next)) madePrimary.push(element);
        continue;
      }
      const subKey = keyOf(element, subAttribute) ?? subDefinition?.name ?? subAttribute;
      const next = coerceValue(subDefinition, value, label);
      if (this.unchangedOrRefused(subDefinition?.mutability, element[subKey], next, label)) continue;
      element[subKey] = next;
      if (sameName(subKey, 'primary') && next === true) madePrimary.push(element);
    }
    this.settlePrimary(list, madePrimary, label);
    this.store(container, key, list);
  }

  /**
   * RFC 7643 §2.2: a readOnly attribute "SHALL NOT be modified", an immutable one not once set.
   * Sending the value already held changes nothing, so it is let through: Okta's group rename
   * repeats the group's `id` alongside the new `displayName`.
   */
  private unchangedOrRefused(
    rule: Mutability | undefined,
    current: unknown,
    next: unknown,
    label: string,
  ): boolean {
    if (rule !== 'readOnly' && rule !== 'immutable') return false;
    if (sameJson(current ?? null, next)) return true;
    if (rule === 'immutable' && (current === undefined || current === null)) return false;
    throw mutability(`${label} is ${rule === 'readOnly' ? 'read-only' : 'immutable'} and cannot be changed`);
  }

  private guardSubAttributes(
    definition: AttributeDefinition | undefined,
    held: JsonObject,
    next: JsonObject,
    label: string,
  ): void {
    for (const [name, value] of Object.entries(next)) {
      const sub = findAttribute(definition?.subAttributes, name);
      if (value !== null)
        this.unchangedOrRefused(sub?.mutability, getAttribute(held, name), value, `${label}.${name}`);
      else if (sub?.mutability === 'readOnly' || sub?.mutability === 'immutable') {
        if (getAttribute(held, name) !== undefined) throw mutability(`${label}.${name} cannot be removed`);
      }
    }
  }

  /**
   * RFC 7644 §3.5.2: setting a value's "primary" to true "SHALL cause the server to automatically
   * set 'primary' to 'false' for any other values"; RFC 7643 §2.4 allows one primary at most.
   */
  private settlePrimary(list: readonly unknown[], madePrimary: readonly unknown[], label: string): void {
    const chosen = new Set(madePrimary);
    if (chosen.size > 1) throw invalidValue(`${label}: only one value can be primary`);
    if (chosen.size === 0) return;
    for (const element of list) {
      if (chosen.has(element) || !isRecord(element)) continue;
      const key = keyOf(element, 'primary');
      if (key !== undefined && element[key] === true) element[key] = false;
    }
  }

  /** RFC 7643 §2.5: an empty list or object is unassigned, so it is dropped rather than stored. */
  private store(container: JsonObject, key: string, value: unknown): void {
    if (!isPresent(value) && (Array.isArray(value) || isRecord(value))) delete container[key];
    else container[key] = value;
  }
}

const isPrimary = (element: unknown) => isRecord(element) && getAttribute(element, 'primary') === true;

/**
 * The element an `attr[...]` filter describes, when it is `eq` terms joined by `and`:
 * `type eq "work"` gives `{ type: "work" }`.
 */
function templateOf(filter: Filter, definition: AttributeDefinition | undefined): JsonObject | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.value !== null) {
    const name =
      findAttribute(definition?.subAttributes, filter.path.attribute)?.name ?? filter.path.attribute;
    return { [name]: filter.value };
  }
  if (filter.kind !== 'and') return undefined;
  const [left, right] = [templateOf(filter.left, definition), templateOf(filter.right, definition)];
  if (left === undefined || right === undefined) return undefined;
  const clash = Object.keys(right).some((name) => name in left && !sameJson(left[name], right[name]));
  return clash ? undefined : { ...left, ...right };
}
