/**
 * SCIM filters, attribute paths and PATCH (RFC 7644 §3.4.2.2, §3.10, §3.5.2). Schemas, URNs and
 * errors (`ScimError`) come from the resource model in `../model/index.js`.
 */
export type {
  AttributePath,
  AttributeRef,
  CompareFilter,
  CompareOperator,
  Filter,
  FilterValue,
  LogicalFilter,
  NotFilter,
  PresentFilter,
  ValuePathFilter,
} from './filter-ast.js';
export { FILTER_LIMITS, parseFilter } from './filter-parser.js';
export { matchesElement, matchesFilter } from './filter-evaluate.js';
export type { FilterOptions } from './filter-evaluate.js';
export { parseAttributePath, parsePatchPath } from './attribute-path.js';
export type { PatchPath } from './attribute-path.js';
export { applyPatch } from './patch.js';
export type { PatchOptions } from './patch.js';
export { PATCH_LIMITS, normalizeOperation, validatePatchRequest } from './patch-request.js';
export type { PatchOpName, PatchOperation, PatchOperationInput } from './patch-request.js';
export { caseExactFrom, defaultCaseExact, resourceTypeOf } from './schema-lookup.js';
