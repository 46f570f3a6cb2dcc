import { ERROR_MESSAGE } from './schema-urns.js';

/** RFC 7644 §3.12 Table 9: the detail error keywords a 400 (or 409) may carry. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/**
 * A SCIM protocol failure; the HTTP edge renders it with `scimErrorBody` and `status`. It is not a
 * DomainError: those are protocol-free, and this one already carries its RFC 7644 §3.12 answer.
 */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    /** Safe to show the client: it names the offending input, never internals. */
    readonly detail: string,
    readonly scimType?: ScimType,
    /**
     * Where a filter or path (RFC 7644 §3.4.2.2, §3.10) went wrong: 0-based within the text parsed.
     * The §3.12 body has no member for it, so only the message (for logs) names it, as a column.
     */
    readonly position?: number,
  ) {
    super(position === undefined ? detail : `${detail} at column ${position + 1}`);
    this.name = new.target.name;
  }

  /** The same failure, said of one part of a larger request (e.g. one operation of a PATCH). */
  within(context: string): ScimError {
    return new ScimError(this.status, `${context}: ${this.detail}`, this.scimType, this.position);
  }
}

export interface ScimErrorBody {
  schemas: [typeof ERROR_MESSAGE];
  /** RFC 7644 §3.12: the HTTP status code "expressed as a JSON string". */
  status: string;
  scimType?: ScimType;
  detail: string;
}

export function scimErrorBody(error: ScimError): ScimErrorBody {
  return {
    schemas: [ERROR_MESSAGE],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

/** The errors RFC 7644 names, with the status each goes with (§3.12 Table 9, §3.14, §3.7.4). */
export const scimErrors = {
  invalidFilter: (detail: string, position?: number) => new ScimError(400, detail, 'invalidFilter', position),
  tooMany: (detail: string) => new ScimError(400, detail, 'tooMany'),
  invalidSyntax: (detail: string) => new ScimError(400, detail, 'invalidSyntax'),
  invalidValue: (detail: string) => new ScimError(400, detail, 'invalidValue'),
  invalidPath: (detail: string, position?: number) => new ScimError(400, detail, 'invalidPath', position),
  noTarget: (detail: string) => new ScimError(400, detail, 'noTarget'),
  mutability: (detail: string) => new ScimError(400, detail, 'mutability'),
  invalidVers: (detail: string) => new ScimError(400, detail, 'invalidVers'),
  sensitive: (detail: string) => new ScimError(403, detail, 'sensitive'),
  uniqueness: (detail: string) => new ScimError(409, detail, 'uniqueness'),
  notFound: (detail: string) => new ScimError(404, detail),
  /** RFC 7644 §3.14: If-Match named a version that is no longer current. */
  preconditionFailed: (detail: string) => new ScimError(412, detail),
  /** RFC 7644 §3.7.4: a bulk request over maxOperations or maxPayloadSize. */
  payloadTooLarge: (detail: string) => new ScimError(413, detail),
} as const;
