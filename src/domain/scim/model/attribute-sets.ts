import { attributePaths } from './attribute-lookup.js';
import type { ResolvedPath } from './attribute-lookup.js';
import { GROUP_RESOURCE, USER_RESOURCE } from './resource-schemas.js';
import type { ResourceSchemas } from './resource-schemas.js';

/**
 * Canonical attribute paths (as `resolveAttributePath(...).path` spells them) grouped by the
 * characteristic a filter or PATCH needs to know: how to compare a value, whether it is a list,
 * whether a client may write it.
 */
export interface AttributeSets {
  readonly boolean: ReadonlySet<string>;
  readonly multiValued: ReadonlySet<string>;
  readonly readOnly: ReadonlySet<string>;
  readonly caseExact: ReadonlySet<string>;
}

export function attributeSets(resource: ResourceSchemas): AttributeSets {
  const paths = attributePaths(resource);
  const where = (test: (definition: NonNullable<ResolvedPath['attribute']>, path: ResolvedPath) => boolean) =>
    new Set(
      paths
        .filter((path) => path.attribute && test(path.subAttribute ?? path.attribute, path))
        .map((path) => path.path),
    );
  return {
    boolean: where((definition) => definition.type === 'boolean'),
    multiValued: where((definition, path) => path.subAttribute === undefined && definition.multiValued),
    // A sub-attribute of a readOnly complex attribute (meta, groups) is as read-only as its parent.
    readOnly: where(
      (definition, path) => definition.mutability === 'readOnly' || path.attribute?.mutability === 'readOnly',
    ),
    caseExact: where((definition) => definition.caseExact),
  };
}

export const USER_ATTRIBUTE_SETS: AttributeSets = attributeSets(USER_RESOURCE);
export const GROUP_ATTRIBUTE_SETS: AttributeSets = attributeSets(GROUP_RESOURCE);
