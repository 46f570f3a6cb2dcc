import type { SchemaDefinition } from './attribute-definition.js';
import { GROUP_SCHEMA_DEFINITION } from './group-schema.js';
import { sameUrn } from './schema-urns.js';
import { ENTERPRISE_USER_SCHEMA_DEFINITION, USER_SCHEMA_DEFINITION } from './user-schema.js';

/** RFC 7643 §6: a resource type is a core schema plus the extensions its resources may carry. */
export interface ResourceSchemas {
  readonly name: 'User' | 'Group';
  readonly endpoint: '/Users' | '/Groups';
  readonly description: string;
  readonly core: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
}

export const USER_RESOURCE: ResourceSchemas = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  core: USER_SCHEMA_DEFINITION,
  extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION],
};

export const GROUP_RESOURCE: ResourceSchemas = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  core: GROUP_SCHEMA_DEFINITION,
  extensions: [],
};

export const RESOURCE_TYPES: readonly ResourceSchemas[] = [USER_RESOURCE, GROUP_RESOURCE];

export const SCHEMA_DEFINITIONS: readonly SchemaDefinition[] = [
  USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
];

export function schemaDefinition(urn: string): SchemaDefinition | undefined {
  return SCHEMA_DEFINITIONS.find((schema) => sameUrn(schema.id, urn));
}

/** Whether `urn` is the core schema of one of the resource types (and so carries `id`, `meta`...). */
export function isCoreSchema(urn: string): boolean {
  return RESOURCE_TYPES.some((resource) => sameUrn(resource.core.id, urn));
}
