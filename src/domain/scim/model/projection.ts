import type { AttributeDefinition } from './attribute-definition.js';
import { parseAttributeList } from './attribute-list.js';
import { resolveAttributePath } from './attribute-lookup.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { getAttribute, isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';
import type { ResourceSchemas } from './resource-schemas.js';

export interface ProjectionOptions {
  /** RFC 7644 §3.4.2.5: only these, plus what is `returned: always`. */
  attributes?: string | readonly string[];
  /** RFC 7644 §3.4.2.5: the default set minus these; `returned: always` ones stay. */
  excludedAttributes?: string | readonly string[];
}

interface Selection {
  /** Canonical paths (`emails`, `name.givenName`, `urn:...:User:manager.value`, a bare extension URN). */
  readonly requested?: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
}

/**
 * The representation of a stored resource a client gets back (RFC 7644 §3.4.2.5, §3.9), driven
 * by each attribute's `returned` characteristic: `never` (password) is never sent, `always` (id)
 * always is, `request` only when named. Names match case-insensitively; unknown names are ignored.
 * When both lists are given, `attributes` selects and `excludedAttributes` then removes.
 */
export function projectResource(
  resource: JsonObject,
  options: ProjectionOptions,
  schemas: ResourceSchemas,
): JsonObject {
  const selection: Selection = {
    ...(options.attributes === undefined ? {} : { requested: canonicalPaths(options.attributes, schemas) }),
    excluded: canonicalPaths(options.excludedAttributes, schemas),
  };
  const [leading, meta] = splitMeta();
  const output = projectAttributes(resource, [...leading, ...schemas.core.attributes], '', selection, false);
  const extensions: string[] = [];
  for (const extension of schemas.extensions) {
    const values = getAttribute(resource, extension.id);
    if (!isJsonObject(values) || selection.excluded.has(extension.id)) continue;
    const whole = selection.requested?.has(extension.id) ?? false;
    const projected = projectAttributes(values, extension.attributes, `${extension.id}:`, selection, whole);
    if (Object.keys(projected).length === 0) continue;
    output[extension.id] = projected;
    extensions.push(extension.id);
  }
  Object.assign(output, projectAttributes(resource, meta, '', selection, false));
  // RFC 7643 §3: "schemas" is always present and names the schemas of the attributes present.
  return { schemas: [schemas.core.id, ...extensions], ...output };
}

function projectAttributes(
  values: JsonObject,
  attributes: readonly AttributeDefinition[],
  prefix: string,
  selection: Selection,
  wholeSchema: boolean,
): JsonObject {
  const output: JsonObject = {};
  for (const definition of attributes) {
    const value = getAttribute(values, definition.name);
    const path = `${prefix}${definition.name}`;
    if (value === undefined || value === null || !included(definition, path, selection, wholeSchema))
      continue;
    const projected = definition.subAttributes
      ? projectComplex(value, definition, path, selection, wholeSchema)
      : value;
    if (projected !== undefined) output[definition.name] = projected;
  }
  return output;
}

function included(
  definition: AttributeDefinition,
  path: string,
  selection: Selection,
  wholeSchema: boolean,
): boolean {
  if (definition.returned === 'never') return false;
  if (definition.returned === 'always') return true;
  if (selection.excluded.has(path)) return false;
  if (selection.requested === undefined) return definition.returned === 'default';
  return (
    wholeSchema ||
    selection.requested.has(path) ||
    [...selection.requested].some((p) => p.startsWith(`${path}.`))
  );
}

function projectComplex(
  value: JsonValue,
  definition: AttributeDefinition,
  path: string,
  selection: Selection,
  wholeSchema: boolean,
): JsonValue | undefined {
  const whole =
    wholeSchema ||
    definition.returned === 'always' ||
    selection.requested === undefined ||
    selection.requested.has(path);
  const keep = (sub: AttributeDefinition) => {
    const subPath = `${path}.${sub.name}`;
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    if (selection.excluded.has(subPath)) return false;
    if (selection.requested?.has(subPath)) return true;
    return whole && (sub.returned === 'default' || selection.requested !== undefined);
  };
  const shape = (element: JsonValue): JsonValue | undefined => {
    if (!isJsonObject(element)) return element;
    const kept: JsonObject = {};
    for (const sub of definition.subAttributes ?? []) {
      const subValue = getAttribute(element, sub.name);
      if (subValue !== undefined && keep(sub)) kept[sub.name] = subValue;
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (!Array.isArray(value)) return shape(value);
  const elements = value.map(shape).filter((element): element is JsonValue => element !== undefined);
  return elements.length > 0 ? elements : undefined;
}

function canonicalPaths(list: string | readonly string[] | undefined, schemas: ResourceSchemas): Set<string> {
  return new Set(
    parseAttributeList(list).flatMap((path) => {
      const resolved = resolveAttributePath(schemas, path);
      return resolved ? [resolved.path] : [];
    }),
  );
}

/** `id` and `externalId` lead the representation, `meta` closes it, as in the RFC 7643 §8 examples. */
function splitMeta(): [AttributeDefinition[], AttributeDefinition[]] {
  return [
    COMMON_ATTRIBUTES.filter((definition) => definition.name !== 'meta'),
    COMMON_ATTRIBUTES.filter((definition) => definition.name === 'meta'),
  ];
}
