import { findAttribute } from '../model/attribute-definition.js';
import type { AttributeDefinition } from '../model/attribute-definition.js';
import { COMMON_ATTRIBUTES, SCHEMAS_ATTRIBUTE } from '../model/common-attributes.js';
import { GROUP_RESOURCE, USER_RESOURCE, isCoreSchema } from '../model/resource-schemas.js';
import type { ResourceSchemas } from '../model/resource-schemas.js';
import { GROUP_SCHEMA, listsSchema, sameUrn } from '../model/schema-urns.js';
import type { AttributePath } from './filter-ast.js';

/**
 * The attribute characteristics (RFC 7643 §2.2, §7) filtering and PATCH depend on, read from the
 * schema definitions `/Schemas` serves, so what a client reads there is what these do.
 */

/** RFC 7644 §3.10: a core schema URN prefix names the same attribute as no prefix at all. */
export function inCoreSchema(schema: string | undefined): boolean {
  return schema === undefined || isCoreSchema(schema);
}

/** The resource type a resource declares through `schemas`; a User unless it names the Group schema. */
export function resourceTypeOf(resource: Readonly<Record<string, unknown>>): ResourceSchemas {
  return listsSchema(resource['schemas'], GROUP_SCHEMA) ? GROUP_RESOURCE : USER_RESOURCE;
}

/**
 * What `schema` defines: with no URN or a core one, the core schema's attributes and those every
 * resource carries (`schemas` by RFC 7643 §3, `id`, `externalId` and `meta` by §3.1).
 */
function attributesFor(type: ResourceSchemas, schema: string | undefined): readonly AttributeDefinition[] {
  if (inCoreSchema(schema)) return [SCHEMAS_ATTRIBUTE, ...COMMON_ATTRIBUTES, ...type.core.attributes];
  return type.extensions.find((extension) => sameUrn(extension.id, schema!))?.attributes ?? [];
}

/** The definitions of `path`'s attribute and sub-attribute, where the resource type knows them. */
export function definitionsOf(
  type: ResourceSchemas,
  path: AttributePath,
): { attribute?: AttributeDefinition; subAttribute?: AttributeDefinition } {
  const attribute = findAttribute(attributesFor(type, path.schema), path.attribute);
  const subAttribute =
    path.subAttribute === undefined ? undefined : findAttribute(attribute?.subAttributes, path.subAttribute);
  return { attribute, subAttribute };
}

/**
 * RFC 7643 §2.2 caseExact of a value of `definition`. A complex value is told apart by its `value`
 * sub-attribute (RFC 7643 §2.4), and compared through it when named alone (RFC 7644 §3.4.2.2,
 * `emails co ...`), so that sub-attribute's caseExact applies.
 */
export function valueIsCaseExact(definition: AttributeDefinition | undefined): boolean {
  if (definition?.type !== 'complex') return definition?.caseExact === true;
  return findAttribute(definition.subAttributes, 'value')?.caseExact === true;
}

/** RFC 7643 §2.2 caseExact, read from the resource types' definitions. */
export function caseExactFrom(...types: readonly ResourceSchemas[]): (path: AttributePath) => boolean {
  return (path) =>
    types.some((type) => {
      const { attribute, subAttribute } = definitionsOf(type, path);
      return path.subAttribute === undefined ? valueIsCaseExact(attribute) : subAttribute?.caseExact === true;
    });
}

/** The default for filters: caseExact where the User or Group schema says so (`id`, `externalId`, ...). */
export const defaultCaseExact = caseExactFrom(USER_RESOURCE, GROUP_RESOURCE);
