import { attribute, complex } from './attribute-definition.js';
import type { AttributeDefinition } from './attribute-definition.js';

/**
 * RFC 7643 §3.1: `id`, `externalId` and `meta` belong to every resource rather than to a schema,
 * so `/Schemas` does not list them (as in §8.7.1); lookups and projection still need their
 * characteristics, which are stated here once.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  attribute('id', 'string', 'Unique identifier for the resource, assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attribute('externalId', 'string', 'Identifier for the resource as defined by the provisioning client.', {
    caseExact: true,
  }),
  complex(
    'meta',
    'Resource metadata maintained by the service provider.',
    [
      attribute('resourceType', 'string', 'The name of the resource type of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
      attribute('created', 'dateTime', 'When the resource was added to the service provider.', {
        mutability: 'readOnly',
      }),
      attribute('lastModified', 'dateTime', 'When the resource was last updated.', {
        mutability: 'readOnly',
      }),
      attribute('location', 'reference', 'The URI of the resource being returned.', {
        caseExact: true,
        mutability: 'readOnly',
        referenceTypes: ['uri'],
      }),
      attribute('version', 'string', 'The version (weak entity tag) of the resource.', {
        caseExact: true,
        mutability: 'readOnly',
      }),
    ],
    { mutability: 'readOnly' },
  ),
];

/**
 * RFC 7643 §3: `schemas` is on every resource but defined by no schema, so neither `/Schemas` nor
 * the lookups above list it. Its values are the resource's core schema and the extensions it carries
 * (§3, §3.3); the server keeps them in step with the attributes present, so a client never writes it.
 */
export const SCHEMAS_ATTRIBUTE: AttributeDefinition = attribute(
  'schemas',
  'reference',
  'The URIs of the schemas that define the attributes present in the resource.',
  { multiValued: true, mutability: 'readOnly', returned: 'always', referenceTypes: ['uri'] },
);
