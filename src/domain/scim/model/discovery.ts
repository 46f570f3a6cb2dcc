import type { AttributeDefinition, SchemaDefinition } from './attribute-definition.js';
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_BYTES } from './bulk.js';
import { MAX_RESULTS, listResponse } from './list-response.js';
import type { ListResponse } from './list-response.js';
import { RESOURCE_TYPES, SCHEMA_DEFINITIONS } from './resource-schemas.js';
import type { ResourceSchemas } from './resource-schemas.js';
import { scimErrors } from './scim-error.js';
import {
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  sameUrn,
} from './schema-urns.js';

/** RFC 7643 §5-§7: each discovery document says what it is and where it lives. */
interface Meta {
  resourceType: string;
  location: string;
}

export interface ServiceProviderConfig {
  schemas: [typeof SERVICE_PROVIDER_CONFIG_SCHEMA];
  patch: { supported: boolean };
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  filter: { supported: boolean; maxResults: number };
  changePassword: { supported: boolean };
  sort: { supported: boolean };
  etag: { supported: boolean };
  authenticationSchemes: {
    type: string;
    name: string;
    description: string;
    specUri: string;
    primary: boolean;
  }[];
  meta: Meta;
}

/**
 * The discovery documents of RFC 7644 §4. `baseUrl` is the SCIM base of one directory (e.g.
 * `https://id.example.com/scim/v2/<directory>`), from configuration, never from the Host header.
 */
export function serviceProviderConfig(baseUrl: string): ServiceProviderConfig {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    // No password is ever kept (see the User schema), so there is none to change.
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with the directory token issued by Gatehouse, sent as a bearer token.',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base(baseUrl)}/ServiceProviderConfig` },
  };
}

export interface ResourceTypeDocument {
  schemas: [typeof RESOURCE_TYPE_SCHEMA];
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
  meta: Meta;
}

export function resourceTypes(baseUrl: string): ListResponse<ResourceTypeDocument> {
  const documents = RESOURCE_TYPES.map((resource) => resourceTypeDocument(baseUrl, resource));
  return listResponse(documents, { totalResults: documents.length, startIndex: 1 });
}

/** GET `/ResourceTypes/{id}`; 404 for any other id. */
export function resourceTypeById(baseUrl: string, id: string): ResourceTypeDocument {
  const resource = RESOURCE_TYPES.find((candidate) => candidate.name.toLowerCase() === id.toLowerCase());
  if (!resource) throw scimErrors.notFound(`Resource type ${id} not found.`);
  return resourceTypeDocument(baseUrl, resource);
}

export interface SchemaDocument {
  schemas: [typeof SCHEMA_SCHEMA];
  id: string;
  name: string;
  description: string;
  attributes: AttributeDocument[];
  meta: Meta;
}

/** RFC 7643 §7: an attribute as `/Schemas` shows it. */
export interface AttributeDocument {
  name: string;
  type: string;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: string;
  returned: string;
  uniqueness: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDocument[];
}

export function schemas(baseUrl: string): ListResponse<SchemaDocument> {
  const documents = SCHEMA_DEFINITIONS.map((schema) => schemaDocument(baseUrl, schema));
  return listResponse(documents, { totalResults: documents.length, startIndex: 1 });
}

/** GET `/Schemas/{id}` with the schema URN as id; 404 for any other. */
export function schemaById(baseUrl: string, id: string): SchemaDocument {
  const schema = SCHEMA_DEFINITIONS.find((candidate) => sameUrn(candidate.id, id));
  if (!schema) throw scimErrors.notFound(`Schema ${id} not found.`);
  return schemaDocument(baseUrl, schema);
}

function resourceTypeDocument(baseUrl: string, resource: ResourceSchemas): ResourceTypeDocument {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: resource.name,
    name: resource.name,
    endpoint: resource.endpoint,
    description: resource.description,
    schema: resource.core.id,
    // Every User may carry the enterprise extension; none has to.
    schemaExtensions: resource.extensions.map((extension) => ({ schema: extension.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${base(baseUrl)}/ResourceTypes/${resource.name}` },
  };
}

function schemaDocument(baseUrl: string, schema: SchemaDefinition): SchemaDocument {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${base(baseUrl)}/Schemas/${schema.id}` },
  };
}

function attributeDocument(definition: AttributeDefinition): AttributeDocument {
  return {
    name: definition.name,
    type: definition.type,
    multiValued: definition.multiValued,
    description: definition.description,
    required: definition.required,
    caseExact: definition.caseExact,
    mutability: definition.mutability,
    returned: definition.returned,
    uniqueness: definition.uniqueness,
    ...(definition.canonicalValues?.length ? { canonicalValues: [...definition.canonicalValues] } : {}),
    ...(definition.referenceTypes ? { referenceTypes: [...definition.referenceTypes] } : {}),
    ...(definition.subAttributes ? { subAttributes: definition.subAttributes.map(attributeDocument) } : {}),
  };
}

function base(baseUrl: string): string {
  return baseUrl.replace(/\/+$/u, '');
}
