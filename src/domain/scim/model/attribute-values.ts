import { z } from 'zod';
import type { AttributeDefinition } from './attribute-definition.js';
import { isJsonObject } from './json.js';
import type { JsonObject, JsonValue } from './json.js';

/** What one request may put into one attribute; past these the value is refused (invalidValue). */
export interface InputLimits {
  readonly maxStringLength: number;
  /** Most values of a multi-valued attribute, by canonical attribute name; `default` otherwise. */
  readonly maxValues: Readonly<Record<string, number>> & { readonly default: number };
}

export const INPUT_LIMITS: InputLimits = {
  maxStringLength: 1024,
  // Entra ID's AppRoleAssignmentsComplex sends one role per assignment; a group PUT carries the
  // whole member list, which the body size limit bounds before this does.
  maxValues: { default: 20, roles: 100, members: 10_000 },
};

export type ValueSchema = z.ZodType<JsonValue | undefined, unknown>;

/** A key an object may carry: validated by `schema`, or recognised and dropped when it has none. */
export interface Field {
  readonly name: string;
  readonly schema?: ValueSchema;
}

/**
 * The schema of one attribute's value, derived from its definition. Everywhere: `null` is
 * unassigned (RFC 7643 §2.5), and so is an empty or blank string (Okta sends `"middleName": ""`)
 * or an empty list. The output is `undefined` for an unassigned value.
 */
export function valueSchema(definition: AttributeDefinition, limits: InputLimits): ValueSchema {
  const single = singleValueSchema(definition, limits);
  if (!definition.multiValued) return single;
  const max = limits.maxValues[definition.name] ?? limits.maxValues.default;
  return z
    .preprocess(
      // A lone value where a list belongs is a list of one (OneLogin templates send `"emails": {...}`).
      (value) => (value === null || value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(single, { error: 'must be a list' }).max(max, { error: `must have at most ${max} values` }),
    )
    .transform((values, ctx) => {
      const present = values.filter((value): value is JsonValue => value !== undefined);
      // RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once."
      const primaries = present.filter((value) => isJsonObject(value) && value.primary === true);
      if (primaries.length > 1) ctx.addIssue({ code: 'custom', message: 'has more than one primary value' });
      return present.length > 0 ? present : undefined;
    });
}

/**
 * Keys match fields case-insensitively (RFC 7643 §2.1). Keys no field names are dropped, in the
 * core schema as in unknown extensions: RFC 7644 §3.3 says the server "is free to alter and/or
 * ignore POSTed content" and answers with the resource as kept, so the client sees what was
 * dropped; refusing instead would stop provisioning over an attribute an admin mapped in the IdP
 * (Okta app profiles, OneLogin templates, Entra ID's own extension) that Gatehouse has no use for.
 * The same name twice in different cases is refused: which one was meant cannot be known.
 */
export function objectSchema(fields: readonly Field[]): z.ZodType<JsonObject, unknown> {
  const known = new Set(fields.map((field) => field.name.toLowerCase()));
  return z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).transform((input, ctx) => {
    const byName = new Map<string, unknown>();
    for (const [key, value] of Object.entries(input)) {
      const lower = key.toLowerCase();
      if (byName.has(lower) && known.has(lower))
        ctx.addIssue({ code: 'custom', path: [key], message: 'is given twice' });
      byName.set(lower, value);
    }
    const output: JsonObject = {};
    for (const field of fields) {
      const value = byName.get(field.name.toLowerCase());
      if (value === undefined || !field.schema) continue;
      const parsed = field.schema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: 'custom', path: [field.name, ...issue.path], message: issue.message });
        }
      } else if (parsed.data !== undefined) {
        output[field.name] = parsed.data;
      }
    }
    return output;
  });
}

/**
 * The fields of a list of attributes. RFC 7644 §3.5.1: readOnly values a client sends "SHALL be
 * ignored". writeOnly ones are ignored too: the only one is `password`, which Gatehouse never keeps.
 */
export function fieldsOf(attributes: readonly AttributeDefinition[], limits: InputLimits): Field[] {
  return attributes.map((definition) =>
    definition.mutability === 'readOnly' || definition.mutability === 'writeOnly'
      ? { name: definition.name }
      : { name: definition.name, schema: valueSchema(definition, limits) },
  );
}

function singleValueSchema(definition: AttributeDefinition, limits: InputLimits): ValueSchema {
  switch (definition.type) {
    case 'complex':
      return unassignedAsNull(
        // A bare string where a multi-valued complex belongs is its `value` (`"roles": ["Admin"]`).
        (value) => (definition.multiValued && typeof value === 'string' ? { value } : value),
        objectSchema(fieldsOf(definition.subAttributes ?? [], limits)).transform((value) =>
          Object.keys(value).length > 0 ? value : undefined,
        ),
      );
    case 'boolean':
      // Entra ID sends "True" and "False" (its SCIM compatibility notes), OneLogin "true".
      return unassignedAsNull(
        (value) => (typeof value === 'string' ? parseBooleanText(value) : value),
        z.boolean({ error: 'must be true or false' }),
      );
    case 'integer':
      return unassignedAsNull((value) => value, z.int({ error: 'must be an integer' }));
    case 'decimal':
      return unassignedAsNull((value) => value, z.number({ error: 'must be a number' }));
    case 'dateTime':
      return textSchema(definition, limits).refine(
        (value) => value === undefined || !Number.isNaN(Date.parse(String(value))),
        { error: 'must be an xsd:dateTime' },
      );
    default:
      return textSchema(definition, limits);
  }
}

function textSchema(definition: AttributeDefinition, limits: InputLimits): ValueSchema {
  const max = limits.maxStringLength;
  const canonical = new Map((definition.canonicalValues ?? []).map((value) => [value.toLowerCase(), value]));
  return unassignedAsNull(
    // Numbers where text belongs are their decimal text (`"employeeNumber": 701984`).
    (value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
    z
      .string({ error: 'must be a string' })
      .max(max, { error: `must be at most ${max} characters` })
      // RFC 7643 §7: canonical values in their defined spelling, so `"Work"` filters like `"work"`.
      .transform((value) =>
        value.trim() === '' ? undefined : (canonical.get(value.toLowerCase()) ?? value),
      ),
  );
}

/** `null` is unassigned (RFC 7643 §2.5) whatever the type; `adapt` tolerates a client's spelling. */
function unassignedAsNull(
  adapt: (value: unknown) => unknown,
  schema: z.ZodType<JsonValue | undefined, unknown>,
): ValueSchema {
  return z.preprocess((value) => (value === null ? undefined : adapt(value)), schema.optional());
}

function parseBooleanText(value: string): boolean | string {
  const lower = value.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : value;
}
