import { getAttribute, isRecord, keyOf } from '../model/json.js';
import { scimErrors } from '../model/scim-error.js';
import { PATCH_OP_MESSAGE, listsSchema } from '../model/schema-urns.js';

export const PATCH_LIMITS = { maxOperations: 1000 } as const;

export type PatchOpName = 'add' | 'remove' | 'replace';

/** One operation, normalised: `op` lower-cased, an empty `path` dropped. */
export interface PatchOperation {
  readonly op: PatchOpName;
  readonly path?: string;
  /** Absent (not merely null) when the client sent no `value`. */
  readonly value?: unknown;
}

/** An operation as clients send it: Entra ID capitalises `op` and adds members such as `name`. */
export type PatchOperationInput = PatchOperation | Readonly<Record<string, unknown>>;

const OPS = new Set<string>(['add', 'remove', 'replace']);

/**
 * Checks a PATCH request body (RFC 7644 §3.5.2) and returns its operations, normalised.
 * `Operations` is found case-insensitively, as RFC 7643 §2.1 has all attribute names.
 */
export function validatePatchRequest(
  body: unknown,
  limits: { readonly maxOperations?: number } = {},
): PatchOperation[] {
  const max = limits.maxOperations ?? PATCH_LIMITS.maxOperations;
  if (!isRecord(body)) throw syntax('the PATCH body must be a JSON object');
  // RFC 7644 §3.5.2: `schemas` names the PatchOp message, so a resource body sent here is refused.
  if (!listsSchema(getAttribute(body, 'schemas'), PATCH_OP_MESSAGE)) {
    throw syntax(`'schemas' must contain "${PATCH_OP_MESSAGE}"`);
  }
  const key = keyOf(body, 'Operations');
  const operations = key === undefined ? undefined : body[key];
  if (!Array.isArray(operations)) throw syntax(`'Operations' must be an array of operations`);
  if (operations.length === 0) throw syntax(`'Operations' must hold at least one operation`);
  if (operations.length > max) throw syntax(`'Operations' may hold at most ${max} operations`);
  return operations.map((operation, index) => normalizeOperation(operation, index));
}

/** Validates one operation's shape; `index` is its place in `Operations`, for messages. */
export function normalizeOperation(operation: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isRecord(operation)) throw syntax(`${where} must be an object with 'op'`);
  const op = getAttribute(operation, 'op');
  if (typeof op !== 'string') throw syntax(`${where} has no 'op'`);
  const name = op.toLowerCase();
  if (!OPS.has(name)) throw syntax(`${where} has op '${op}'; expected add, remove or replace`);
  const path = getAttribute(operation, 'path');
  if (path !== undefined && path !== null && typeof path !== 'string') {
    throw scimErrors.invalidPath(`${where}: 'path' must be a string`);
  }
  const valueKey = keyOf(operation, 'value');
  const hasValue = valueKey !== undefined && operation[valueKey] !== undefined;
  // RFC 7644 §3.5.2.1 and §3.5.2.3: add and replace "MUST contain a value member".
  if (!hasValue && name !== 'remove') throw syntax(`${where}: '${name}' needs a 'value'`);
  const trimmed = typeof path === 'string' ? path.trim() : '';
  return {
    op: name as PatchOpName,
    ...(trimmed !== '' && { path: trimmed }),
    ...(hasValue && { value: operation[valueKey] }),
  };
}

const syntax = scimErrors.invalidSyntax;
