import type { DirectoryRecord } from '../../domain/ports/directories.js';
import {
  bulkResponse,
  ScimError,
  scimErrors,
  type BulkOperation,
  type BulkOutcome,
  type BulkRequest,
  type BulkResponse,
  type JsonValue,
} from '../../domain/scim/model/index.js';
import type { ScimEndpoint, Written } from './scim-endpoints.js';
import { asScimError } from './scim-failure.js';

const BULK_REFERENCE = /^bulkId:(.+)$/;
/** Creates written together in one transaction: big enough to pay off, small enough to retry. */
const BATCH = 200;

/** Many creates of new users at once: each one's answer, or undefined to run it on its own. */
export type UserBatchImport = (
  directory: DirectoryRecord,
  bodies: readonly unknown[],
) => Promise<Array<Written | ScimError | undefined>>;

export interface BulkTargets {
  endpoints: Record<string, ScimEndpoint | undefined>;
  importUsers?: UserBatchImport;
}

/** RFC 7644 §3.7.2: `bulkId:<id>` in a path or a value stands for what that POST created. */
function resolveReferences(value: JsonValue, created: ReadonlyMap<string, string>): JsonValue {
  if (typeof value === 'string') {
    const reference = BULK_REFERENCE.exec(value)?.[1];
    if (reference === undefined) return value;
    const id = created.get(reference);
    if (id === undefined) {
      throw scimErrors.invalidValue(`bulkId ${reference} names no operation that succeeded before this one`);
    }
    return id;
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, created));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveReferences(item, created)]),
    );
  }
  return value;
}

/** A create of a user that names no earlier operation: it may be written with its neighbours. */
const batchable = (operation: BulkOperation) =>
  operation.method === 'POST' &&
  operation.path === '/Users' &&
  !JSON.stringify(operation.data ?? {}).includes('"bulkId:');

/**
 * Runs a bulk request's operations in order (RFC 7644 §3.7), each on its own like the request it
 * stands for, so one failure leaves the others' work in place; after `failOnErrors` failures the
 * rest are not attempted (§3.7.3). Runs of creates of new users are written together (an import
 * of a large directory), with the same outcome per operation, when failOnErrors does not need
 * them counted one by one.
 */
export async function runBulk(
  directory: DirectoryRecord,
  request: BulkRequest,
  targets: BulkTargets,
  baseUrl: string,
): Promise<BulkResponse> {
  const created = new Map<string, string>();
  const outcomes: BulkOutcome[] = [];
  let failures = 0;
  const common = (operation: BulkOperation) => ({
    method: operation.method,
    ...(operation.bulkId ? { bulkId: operation.bulkId } : {}),
  });
  const succeeded = (operation: BulkOperation, type: string, result: Written) => {
    const resourceId = result.resource.id as string;
    if (operation.bulkId) created.set(operation.bulkId, resourceId);
    outcomes.push({
      ...common(operation),
      status: operation.method === 'POST' ? 201 : 200,
      location: `${baseUrl}/${type}/${resourceId}`,
      version: result.version,
    });
  };
  const failed = (operation: BulkOperation, caught: unknown) => {
    failures += 1;
    const error = asScimError(caught) ?? new ScimError(500, 'The operation failed on our side.');
    outcomes.push({ ...common(operation), error });
  };

  const runOne = async (operation: BulkOperation) => {
    try {
      const path = resolveReferences(operation.path, created) as string;
      const [, type = '', id] = path.split('/');
      const endpoint = targets.endpoints[type];
      if (!endpoint)
        throw scimErrors.invalidPath(`${type} is not a resource type here: use /Users or /Groups`);
      const data = operation.data === undefined ? undefined : resolveReferences(operation.data, created);
      if (operation.method === 'DELETE') {
        await endpoint.remove(directory, id!, operation.version);
        outcomes.push({ ...common(operation), status: 204 });
        return;
      }
      const result =
        operation.method === 'POST'
          ? await endpoint.create(directory, data)
          : operation.method === 'PUT'
            ? await endpoint.replace(directory, id!, data, operation.version)
            : await endpoint.patch(directory, id!, data, operation.version);
      succeeded(operation, type, result);
    } catch (caught) {
      failed(operation, caught);
    }
  };

  const { operations } = request;
  for (let at = 0; at < operations.length;) {
    if (request.failOnErrors !== undefined && failures >= request.failOnErrors) break;
    let end = at;
    while (end < operations.length && end - at < BATCH && batchable(operations[end]!)) end += 1;
    if (targets.importUsers && request.failOnErrors === undefined && end - at > 1) {
      const run = operations.slice(at, end);
      const results = await targets.importUsers(
        directory,
        run.map((operation) => operation.data),
      );
      for (const [index, operation] of run.entries()) {
        const result = results[index];
        if (result === undefined) await runOne(operation);
        else if (result instanceof ScimError) failed(operation, result);
        else succeeded(operation, 'Users', result);
      }
      at = end;
      continue;
    }
    await runOne(operations[at]!);
    at += 1;
  }
  return bulkResponse(outcomes);
}
