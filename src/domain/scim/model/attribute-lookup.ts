import { findAttribute } from './attribute-definition.js';
import type { AttributeDefinition, SchemaDefinition } from './attribute-definition.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { isCoreSchema, schemaDefinition } from './resource-schemas.js';
import type { ResourceSchemas } from './resource-schemas.js';

/** An attribute path (RFC 7644 §3.10) resolved against a resource type's schemas. */
export interface ResolvedPath {
  readonly schema: SchemaDefinition;
  /** The schema is an extension: its values live under the schema URN key of the resource. */
  readonly extension: boolean;
  /** Absent when the path names a whole extension (`urn:...:enterprise:2.0:User`). */
  readonly attribute?: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
  /** Canonical spelling: `name.givenName`, `urn:...:enterprise:2.0:User:manager.value`. */
  readonly path: string;
}

/**
 * The definition of `name` (or `name.sub`) in the schema `schemaUrn`, compared case-insensitively
 * (RFC 7643 §2.1). For a core schema the common attributes `id`, `externalId` and `meta` are found
 * too, since every resource of that schema carries them (RFC 7643 §3.1).
 */
export function attributeDefinition(schemaUrn: string, name: string): AttributeDefinition | undefined {
  const schema = schemaDefinition(schemaUrn);
  if (!schema) return undefined;
  const [attributeName = '', subName, ...rest] = name.split('.');
  if (rest.length > 0) return undefined;
  const found = findAttribute(attributesOf(schema, isCoreSchema(schema.id)), attributeName);
  return subName === undefined ? found : findAttribute(found?.subAttributes, subName);
}

/**
 * Resolves `attr`, `attr.sub`, or either prefixed by a schema URN and `:`, as RFC 7644 §3.10
 * writes them; a bare extension URN names the whole extension. Unknown paths give `undefined`.
 */
export function resolveAttributePath(resource: ResourceSchemas, rawPath: string): ResolvedPath | undefined {
  const path = rawPath.trim();
  const prefixed = schemaPrefix(resource, path);
  const schema = prefixed ?? resource.core;
  const extension = schema !== resource.core;
  const rest = prefixed ? path.slice(prefixed.id.length + 1) : path;
  if (prefixed && path.length === prefixed.id.length) {
    return extension ? { schema, extension, path: schema.id } : undefined;
  }
  const [attributeName = '', subName, ...more] = rest.split('.');
  if (more.length > 0) return undefined;
  const attribute = findAttribute(attributesOf(schema, !extension), attributeName);
  if (!attribute) return undefined;
  const subAttribute = subName === undefined ? undefined : findAttribute(attribute.subAttributes, subName);
  if (subName !== undefined && !subAttribute) return undefined;
  const local = subAttribute ? `${attribute.name}.${subAttribute.name}` : attribute.name;
  return { schema, extension, attribute, subAttribute, path: extension ? `${schema.id}:${local}` : local };
}

/** Every attribute and sub-attribute path of a resource type, in schema order. */
export function attributePaths(resource: ResourceSchemas): readonly ResolvedPath[] {
  return [resource.core, ...resource.extensions].flatMap((schema) => {
    const extension = schema !== resource.core;
    const prefix = extension ? `${schema.id}:` : '';
    return attributesOf(schema, !extension).flatMap((attribute) => [
      { schema, extension, attribute, path: `${prefix}${attribute.name}` },
      ...(attribute.subAttributes ?? []).map((subAttribute) => ({
        schema,
        extension,
        attribute,
        subAttribute,
        path: `${prefix}${attribute.name}.${subAttribute.name}`,
      })),
    ]);
  });
}

/** The schema whose URN starts `path` (followed by `:` or the end); the longest wins. */
function schemaPrefix(resource: ResourceSchemas, path: string): SchemaDefinition | undefined {
  const lower = path.toLowerCase();
  return [resource.core, ...resource.extensions]
    .filter((schema) => {
      const id = schema.id.toLowerCase();
      return lower.startsWith(id) && (lower.length === id.length || lower[id.length] === ':');
    })
    .sort((a, b) => b.id.length - a.id.length)[0];
}

/** RFC 7643 §3.1: the common attributes belong to every resource, so to its core schema. */
function attributesOf(schema: SchemaDefinition, core: boolean): readonly AttributeDefinition[] {
  return core ? [...COMMON_ATTRIBUTES, ...schema.attributes] : schema.attributes;
}
