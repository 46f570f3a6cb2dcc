import { scimErrors } from '../model/scim-error.js';
import type { AttributePath, AttributeRef, Filter } from './filter-ast.js';
import { tokenize } from './filter-lexer.js';
import { FILTER_LIMITS, FilterParser } from './filter-parser.js';

/**
 * PATCH `path` (RFC 7644 §3.5.2): `PATH = attrPath / valuePath [subAttr]`, e.g. `name.givenName`,
 * `members[value eq "2819c223"]`, `emails[type eq "work"].value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`.
 * Names keep the client's spelling (compare them case-insensitively); the filter is normalised as
 * any filter is.
 */
export type PatchPath =
  | { readonly kind: 'attribute'; readonly path: AttributePath }
  | {
      readonly kind: 'valuePath';
      readonly attribute: AttributeRef;
      readonly filter: Filter;
      readonly subAttribute?: string;
    };

export function parsePatchPath(text: string): PatchPath {
  const parser = parserFor(text);
  const first = parser.peek();
  if (first.type !== 'word') parser.fail('expected an attribute name');
  parser.next();
  const path = parser.readPath(first, false);
  if (parser.peek().type !== '[') {
    parser.expectEnd(`expected '[' or the end of the path after '${first.text}'`);
    return { kind: 'attribute', path };
  }
  const open = parser.next();
  if (path.subAttribute !== undefined) {
    throw scimErrors.invalidPath(
      `'${first.text}' is a sub-attribute; a [filter] applies to a multi-valued attribute`,
      open.start,
    );
  }
  const filter = parser.parseValueFilter(path.attribute, open);
  const attribute: AttributeRef = {
    ...(path.schema !== undefined && { schema: path.schema }),
    attribute: path.attribute,
  };
  const after = parser.peek();
  if (after.type === 'end') return { kind: 'valuePath', attribute, filter };
  if (after.type !== 'word' || !after.text.startsWith('.')) {
    parser.fail(`expected '.subAttribute' or the end of the path after ']'`);
  }
  parser.next();
  const sub = parser.readPath({ ...after, text: after.text.slice(1), start: after.start + 1 }, false);
  if (sub.schema !== undefined || sub.subAttribute !== undefined) {
    throw scimErrors.invalidPath(`'${after.text}' is not a single sub-attribute`, after.start);
  }
  parser.expectEnd(`expected the end of the path after '${after.text}'`);
  return { kind: 'valuePath', attribute, filter, subAttribute: sub.attribute };
}

/**
 * A bare `attrPath` (as in `sortBy` and `attributes`, RFC 7644 §3.4.2.3 and §3.9), normalised like
 * the paths in a filter.
 */
export function parseAttributePath(text: string): AttributePath {
  const parser = parserFor(text);
  const token = parser.peek();
  if (token.type !== 'word') parser.fail('expected an attribute name');
  parser.next();
  parser.expectEnd(`expected the end of the attribute path after '${token.text}'`);
  return parser.readPath(token, true);
}

function parserFor(text: string): FilterParser {
  const max = FILTER_LIMITS.maxLength;
  if (text.length > max)
    throw scimErrors.invalidPath(`path is ${text.length} characters long; the limit is ${max}`);
  return new FilterParser(tokenize(text, 'invalidPath'), 'invalidPath');
}
