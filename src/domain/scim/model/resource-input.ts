import type { z } from 'zod';
import { INPUT_LIMITS, fieldsOf, objectSchema } from './attribute-values.js';
import type { Field, InputLimits } from './attribute-values.js';
import { COMMON_ATTRIBUTES } from './common-attributes.js';
import { isRecord } from './json.js';
import type { JsonObject } from './json.js';
import type { ResourceSchemas } from './resource-schemas.js';
import { scimErrors } from './scim-error.js';
import { listsSchema } from './schema-urns.js';

/**
 * A POST or PUT body (RFC 7644 §3.3, §3.5.1) as a resource in canonical attribute case, holding
 * only attributes the schemas define and a client may write, with `schemas` listing the core
 * schema and each extension present. Throws a ScimError naming the first offending attribute.
 */
export function normaliseResource(
  body: unknown,
  resource: ResourceSchemas,
  limits: InputLimits = INPUT_LIMITS,
): JsonObject {
  if (!isRecord(body)) throw scimErrors.invalidSyntax('The request body must be a JSON object.');
  const schemasKey = Object.keys(body).find((key) => key.toLowerCase() === 'schemas');
  // RFC 7643 §3: "schemas" is REQUIRED and names the resource's core schema; without it the body
  // may be a different resource type altogether.
  if (!listsSchema(schemasKey === undefined ? undefined : body[schemasKey], resource.core.id)) {
    throw scimErrors.invalidSyntax(`schemas must include ${resource.core.id}`);
  }
  const parsed = resourceSchema(resource, limits).safeParse(body);
  if (!parsed.success) throw scimErrors.invalidValue(describeIssue(parsed.error));
  const attributes = parsed.data;
  for (const definition of resource.core.attributes) {
    if (definition.required && attributes[definition.name] === undefined) {
      throw scimErrors.invalidValue(`Attribute ${definition.name} is required.`);
    }
  }
  // RFC 7643 §3: `schemas` lists the extensions present. It is rebuilt from what the body
  // carries, so a client that forgot to list one (OneLogin templates do) loses nothing.
  const extensions = resource.extensions.filter((extension) => attributes[extension.id] !== undefined);
  return { schemas: [resource.core.id, ...extensions.map((extension) => extension.id)], ...attributes };
}

// Building the schemas costs more than using them; each resource type and limits build them once.
const built = new WeakMap<ResourceSchemas, WeakMap<InputLimits, z.ZodType<JsonObject, unknown>>>();

function resourceSchema(resource: ResourceSchemas, limits: InputLimits): z.ZodType<JsonObject, unknown> {
  const byLimits = built.get(resource) ?? new WeakMap<InputLimits, z.ZodType<JsonObject, unknown>>();
  built.set(resource, byLimits);
  const cached = byLimits.get(limits);
  if (cached) return cached;
  const schema = objectSchema(resourceFields(resource, limits));
  byLimits.set(limits, schema);
  return schema;
}

function resourceFields(resource: ResourceSchemas, limits: InputLimits): Field[] {
  return [
    ...fieldsOf(COMMON_ATTRIBUTES, limits),
    ...fieldsOf(resource.core.attributes, limits),
    // RFC 7643 §3.3: an extension's attributes sit in an object under the extension's URN.
    ...resource.extensions.map((extension) => ({
      name: extension.id,
      schema: objectSchema(fieldsOf(extension.attributes, limits)).transform((value) =>
        Object.keys(value).length > 0 ? value : undefined,
      ),
    })),
  ];
}

/** `Attribute emails[0].value must be a string.`, with URN-qualified paths as RFC 7644 §3.10 writes them. */
function describeIssue(error: z.ZodError): string {
  const [issue] = error.issues;
  if (!issue) return 'The request body is invalid.';
  let path = '';
  let previous: PropertyKey | undefined;
  for (const segment of issue.path) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (path === '') path = String(segment);
    else
      path += `${typeof previous === 'string' && previous.startsWith('urn:') ? ':' : '.'}${String(segment)}`;
    previous = segment;
  }
  return path === '' ? `${issue.message}.` : `Attribute ${path} ${issue.message}.`;
}
