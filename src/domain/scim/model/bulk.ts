import { z } from 'zod';
import { isRecord } from './json.js';
import type { JsonObject } from './json.js';
import { scimErrorBody, scimErrors } from './scim-error.js';
import type { ScimError, ScimErrorBody } from './scim-error.js';
import { BULK_REQUEST_MESSAGE, BULK_RESPONSE_MESSAGE, listsSchema } from './schema-urns.js';

/** Advertised in ServiceProviderConfig (RFC 7643 §5) and enforced here. */
export const BULK_MAX_OPERATIONS = 1000;
export const BULK_MAX_PAYLOAD_BYTES = 1024 * 1024;

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BulkOperation {
  method: BulkMethod;
  /** RFC 7644 §3.7: required for POST, so later operations can say `bulkId:<id>`. */
  bulkId?: string;
  /** Relative to the SCIM base: `/Users` for POST, `/Users/<id>` otherwise. */
  path: string;
  /** The body the operation would have on its own; absent for DELETE. */
  data?: JsonObject;
  /** An entity tag to use as If-Match (RFC 7644 §3.7). */
  version?: string;
}

export interface BulkRequest {
  failOnErrors?: number;
  operations: BulkOperation[];
}

const jsonObject = z.custom<JsonObject>(isRecord, { error: 'must be a JSON object' });

// RFC 7644 §3.7: method names are HTTP methods; some clients send them in lower case.
const operationSchema = z
  .object({
    method: z.preprocess(
      (value) => (typeof value === 'string' ? value.toUpperCase() : value),
      z.enum(['POST', 'PUT', 'PATCH', 'DELETE'], { error: 'must be POST, PUT, PATCH or DELETE' }),
    ),
    bulkId: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .max(256)
      .optional(),
    path: z.string({ error: 'is required' }).max(1024),
    data: jsonObject.optional(),
    version: z.string({ error: 'must be a string' }).max(256).optional(),
  })
  .superRefine((operation, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (operation.method === 'POST') {
      if (operation.bulkId === undefined) issue('bulkId', 'is required for POST');
      if (!/^\/[A-Za-z]+$/u.test(operation.path)) issue('path', 'must name a resource endpoint, e.g. /Users');
    } else if (!/^\/[A-Za-z]+\/[^/?#]+$/u.test(operation.path)) {
      issue('path', 'must name one resource, e.g. /Users/<id>');
    }
    if (operation.method !== 'DELETE' && operation.data === undefined)
      issue('data', `is required for ${operation.method}`);
  });

const requestSchema = z.object({
  // RFC 7644 §3.7.3: how many errors to accept before giving up; absent means all operations run.
  failOnErrors: z.int({ error: 'must be an integer' }).min(1, { error: 'must be at least 1' }).optional(),
  Operations: z.array(operationSchema, { error: 'is required' }).min(1, { error: 'must not be empty' }),
});

/**
 * Validates the envelope of a bulk request (RFC 7644 §3.7). `payloadBytes` is the body size the
 * HTTP layer read; over the limits the answer is 413 without a scimType, as in §3.7.4.
 */
export function parseBulkRequest(body: unknown, payloadBytes?: number): BulkRequest {
  if (payloadBytes !== undefined && payloadBytes > BULK_MAX_PAYLOAD_BYTES) {
    throw scimErrors.payloadTooLarge(
      `The size of the bulk operation exceeds the maxPayloadSize (${BULK_MAX_PAYLOAD_BYTES}).`,
    );
  }
  if (!isRecord(body)) throw scimErrors.invalidSyntax('The request body must be a JSON object.');
  if (!listsSchema(body.schemas, BULK_REQUEST_MESSAGE)) {
    throw scimErrors.invalidSyntax(`schemas must include ${BULK_REQUEST_MESSAGE}`);
  }
  const operations = body.Operations;
  if (Array.isArray(operations) && operations.length > BULK_MAX_OPERATIONS) {
    throw scimErrors.payloadTooLarge(
      `The number of operations exceeds the maxOperations (${BULK_MAX_OPERATIONS}).`,
    );
  }
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const where = issue?.path
      .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
      .join('');
    throw scimErrors.invalidSyntax(
      `${(where ?? '').replace(/^\./u, '')} ${issue?.message ?? 'is invalid'}`.trim(),
    );
  }
  const seen = new Set<string>();
  for (const operation of parsed.data.Operations) {
    if (operation.bulkId === undefined) continue;
    if (seen.has(operation.bulkId)) throw scimErrors.invalidValue(`bulkId ${operation.bulkId} is used twice`);
    seen.add(operation.bulkId);
  }
  return {
    ...(parsed.data.failOnErrors === undefined ? {} : { failOnErrors: parsed.data.failOnErrors }),
    operations: parsed.data.Operations.map(compact),
  };
}

function compact(operation: z.output<typeof operationSchema>): BulkOperation {
  return {
    method: operation.method,
    ...(operation.bulkId === undefined ? {} : { bulkId: operation.bulkId }),
    path: operation.path,
    ...(operation.data === undefined || operation.method === 'DELETE' ? {} : { data: operation.data }),
    ...(operation.version === undefined ? {} : { version: operation.version }),
  };
}

/** The outcome of one operation: a success status with what it produced, or the error it met. */
export type BulkOutcome = {
  method: BulkMethod;
  bulkId?: string;
  location?: string;
  version?: string;
} & ({ status: number; response?: JsonObject } | { error: ScimError });

export interface BulkResponseOperation {
  method: BulkMethod;
  bulkId?: string;
  location?: string;
  version?: string;
  /** RFC 7644 §3.7.3 writes it as a string, like the Error status. */
  status: string;
  response?: JsonObject | ScimErrorBody;
}

export interface BulkResponse {
  schemas: [typeof BULK_RESPONSE_MESSAGE];
  Operations: BulkResponseOperation[];
}

export function bulkResponse(outcomes: readonly BulkOutcome[]): BulkResponse {
  return {
    schemas: [BULK_RESPONSE_MESSAGE],
    Operations: outcomes.map((outcome) => {
      const common = {
        method: outcome.method,
        ...(outcome.bulkId === undefined ? {} : { bulkId: outcome.bulkId }),
        ...(outcome.location === undefined ? {} : { location: outcome.location }),
        ...(outcome.version === undefined ? {} : { version: outcome.version }),
      };
      if ('error' in outcome) {
        return { ...common, status: String(outcome.error.status), response: scimErrorBody(outcome.error) };
      }
      return {
        ...common,
        status: String(outcome.status),
        ...(outcome.response === undefined ? {} : { response: outcome.response }),
      };
    }),
  };
}
