/** The URNs RFC 7643 and RFC 7644 fix for resources, discovery documents and protocol messages. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export const SERVICE_PROVIDER_CONFIG_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

export const LIST_RESPONSE_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const PATCH_OP_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
export const ERROR_MESSAGE = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * RFC 7644 §3.10: a schema URI is the prefix of a fully qualified attribute path, and paths
 * compare case-insensitively (RFC 7643 §2.1); clients do send `...:core:2.0:user`, so every
 * schema lookup goes through here.
 */
export function sameUrn(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Whether a `schemas` value names `urn`; anything but an array of strings names nothing. */
export function listsSchema(schemas: unknown, urn: string): boolean {
  return Array.isArray(schemas) && schemas.some((entry) => typeof entry === 'string' && sameUrn(entry, urn));
}
