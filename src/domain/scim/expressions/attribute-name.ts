import { scimErrors } from '../model/scim-error.js';
import type { AttributePath } from './filter-ast.js';
import type { ExpressionErrorType } from './filter-lexer.js';

/**
 * RFC 7644 §3.10 `attrPath = [URI ":"] ATTRNAME *1subAttr`, with RFC 7643 §2.1
 * `ATTRNAME = ALPHA *(nameChar)` and `$ref`, which §2.3.7 names as a sub-attribute.
 * A URN prefix runs to the last colon: `urn:...:2.0:User:manager.value` is attribute `manager` of
 * schema `urn:...:2.0:User`, the dots of `2.0` notwithstanding.
 */

const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/**
 * `start` is the position of `text` in the whole expression, for errors. With `normalise`, names are
 * lower-cased (filters compare them case-insensitively anyway); PATCH keeps the client's spelling so
 * that an attribute no schema knows is stored as it was named.
 */
export function readAttributePath(
  text: string,
  start: number,
  errorType: ExpressionErrorType,
  normalise: boolean,
): AttributePath {
  const fail = (detail: string, at: number): never => {
    throw scimErrors[errorType](detail, start + at);
  };
  const hasUrn = text.toLowerCase().startsWith('urn:');
  const colon = hasUrn ? text.lastIndexOf(':') : text.indexOf(':');
  if (!hasUrn && colon >= 0) fail(`'${text}' has a ':' but no 'urn:' schema prefix`, colon);
  const schema = hasUrn ? text.slice(0, colon) : undefined;
  if (schema !== undefined && schema.split(':').some((part) => part === '')) {
    fail(`'${schema}' is not a schema URN`, 0);
  }
  const names = text.slice(colon + 1).split('.');
  if (names.length > 2) {
    fail(
      `'${text}' nests deeper than attribute.subAttribute`,
      colon + 2 + names[0]!.length + names[1]!.length,
    );
  }
  let at = colon + 1;
  for (const name of names) {
    if (!ATTRNAME.test(name)) {
      fail(
        name === '' ? `expected an attribute name in '${text}'` : `'${name}' is not an attribute name`,
        at,
      );
    }
    at += name.length + 1;
  }
  const [attribute, subAttribute] = names.map((name) => (normalise ? name.toLowerCase() : name));
  return {
    ...(schema !== undefined && { schema }),
    attribute: attribute!,
    ...(subAttribute !== undefined && { subAttribute }),
  };
}
