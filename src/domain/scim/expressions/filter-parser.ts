import { scimErrors } from '../model/scim-error.js';
import { readAttributePath } from './attribute-name.js';
import type { AttributePath, CompareOperator, Filter, FilterValue } from './filter-ast.js';
import { tokenize } from './filter-lexer.js';
import type { ExpressionErrorType, FilterToken } from './filter-lexer.js';

/**
 * Recursive descent over RFC 7644 §3.4.2.2:
 *   FILTER    = attrExp / logExp / valuePath / *1"not" "(" FILTER ")"
 *   valuePath = attrPath "[" valFilter "]"
 *   attrExp   = (attrPath SP "pr") / (attrPath SP compareOp SP compValue)
 * Binding, tightest first: `not`, `and`, `or` (§3.4.2.2, Table 5 order); `and`/`or` associate left.
 * Keywords are case-insensitive; whitespace is tolerated wherever a token boundary is clear.
 */

/** Refused before any work is done, so a hostile filter costs nothing and nests nothing. */
export const FILTER_LIMITS = { maxLength: 4096, maxDepth: 32 } as const;

const COMPARE_OPERATORS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
/** RFC 7644 §3.4.2.2 defines co, sw and ew as substring matches, so only on strings. */
const SUBSTRING = new Set<CompareOperator>(['co', 'sw', 'ew']);
const LITERALS = new Map<string, FilterValue>([
  ['true', true],
  ['false', false],
  ['null', null],
]);

/** Parses a `filter` query parameter (or `filter` of a POST /.search body). */
export function parseFilter(text: string): Filter {
  const max = FILTER_LIMITS.maxLength;
  if (text.length > max) {
    throw scimErrors.invalidFilter(`filter is ${text.length} characters long; the limit is ${max}`);
  }
  const parser = new FilterParser(tokenize(text, 'invalidFilter'), 'invalidFilter');
  if (parser.peek().type === 'end') throw scimErrors.invalidFilter('filter is empty', 0);
  const filter = parser.parseFilter();
  parser.expectEnd(`expected 'and', 'or' or the end of the filter`);
  return filter;
}

/**
 * The token-level parser, shared with PATCH paths (`emails[type eq "work"].value`), which parse the
 * bracketed part of a path the same way but report `invalidPath`.
 */
export class FilterParser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly FilterToken[],
    private readonly errorType: ExpressionErrorType,
  ) {}

  peek(): FilterToken {
    return this.tokens[Math.min(this.index, this.tokens.length - 1)]!;
  }

  next(): FilterToken {
    const token = this.peek();
    this.index++;
    return token;
  }

  /** Fails at the current token, naming it unless it is the end of the text. */
  fail(detail: string, token: FilterToken = this.peek()): never {
    const found = token.type === 'end' ? ' but the text ended' : ` but found '${token.text}'`;
    throw scimErrors[this.errorType](`${detail}${found}`, token.start);
  }

  expectEnd(detail: string): void {
    if (this.peek().type !== 'end') this.fail(detail);
  }

  /** `FILTER`; `element` is set inside `attr[...]`, where paths name the element's sub-attributes. */
  parseFilter(element?: string): Filter {
    let left = this.parseAnd(element);
    while (this.isKeyword(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(element) };
    }
    return left;
  }

  /** The `valFilter` between `[` and `]` (the `[` already read); consumes the `]`. */
  parseValueFilter(attribute: string, open: FilterToken): Filter {
    this.enter(open);
    const filter = this.parseFilter(attribute);
    if (this.peek().type !== ']') this.fail(`expected ']' to close the '[' at column ${open.start + 1}`);
    this.next();
    this.depth--;
    return filter;
  }

  readPath(token: FilterToken, normalise: boolean): AttributePath {
    return readAttributePath(token.text, token.start, this.errorType, normalise);
  }

  private parseAnd(element: string | undefined): Filter {
    let left = this.parseUnary(element);
    while (this.isKeyword(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(element) };
    }
    return left;
  }

  private parseUnary(element: string | undefined): Filter {
    const token = this.peek();
    const negated = this.isKeyword(token, 'not');
    if (negated) {
      this.next();
      if (this.peek().type !== '(') this.fail(`expected '(' after 'not' (RFC 7644 writes 'not (...)')`);
    }
    if (this.peek().type !== '(') return this.parseAttributeExpression(element);
    const open = this.next();
    this.enter(open);
    const inner = this.parseFilter(element);
    if (this.peek().type !== ')') this.fail(`expected ')' to close the '(' at column ${open.start + 1}`);
    this.next();
    this.depth--;
    return negated ? { kind: 'not', filter: inner } : inner;
  }

  private parseAttributeExpression(element: string | undefined): Filter {
    const token = this.peek();
    if (token.type !== 'word') this.fail(`expected an attribute name, 'not' or '('`);
    this.next();
    const path = this.readPath(token, true);
    if (element !== undefined && (path.schema !== undefined || path.subAttribute !== undefined)) {
      throw scimErrors[this.errorType](
        `inside ${element}[...] name a sub-attribute of ${element} alone, not '${token.text}'`,
        token.start,
      );
    }
    if (this.peek().type === '[') return this.parseValuePath(path, token, element);
    const operator = this.peek();
    const op = operator.type === 'word' ? operator.text.toLowerCase() : '';
    if (op === 'pr') {
      this.next();
      return { kind: 'present', path };
    }
    if (!COMPARE_OPERATORS.has(op)) {
      this.fail(
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after '${token.text}'`,
        operator,
      );
    }
    this.next();
    return {
      kind: 'compare',
      path,
      op: op as CompareOperator,
      value: this.parseValue(op as CompareOperator),
    };
  }

  private parseValuePath(path: AttributePath, token: FilterToken, element: string | undefined): Filter {
    const open = this.peek();
    if (element !== undefined) {
      throw scimErrors[this.errorType](`a [filter] cannot be nested inside another`, open.start);
    }
    if (path.subAttribute !== undefined) {
      throw scimErrors[this.errorType](
        `'${token.text}' is a sub-attribute; a [filter] applies to a multi-valued attribute`,
        open.start,
      );
    }
    this.next();
    const filter = this.parseValueFilter(path.attribute, open);
    const attribute = {
      ...(path.schema !== undefined && { schema: path.schema }),
      attribute: path.attribute,
    };
    return { kind: 'valuePath', attribute, filter };
  }

  private parseValue(op: CompareOperator): FilterValue {
    const token = this.peek();
    const word = token.type === 'word' ? token.text.toLowerCase() : '';
    if (token.type !== 'string' && token.type !== 'number' && !LITERALS.has(word)) {
      this.fail(`expected a value (a "string", a number, true, false or null) after '${op}'`);
    }
    this.next();
    const value =
      token.type === 'string' || token.type === 'number' ? token.value : (LITERALS.get(word) ?? null);
    const refuse = (detail: string): never => {
      throw scimErrors[this.errorType](detail, token.start);
    };
    if (value === null && op !== 'eq' && op !== 'ne') refuse(`null can only be compared with eq or ne`);
    // RFC 7644 §3.4.2.2: gt/ge/lt/le on a boolean "SHALL cause a failed response" (invalidFilter).
    if (typeof value === 'boolean' && op !== 'eq' && op !== 'ne') {
      refuse(`booleans can only be compared with eq or ne, not '${op}'`);
    }
    if (SUBSTRING.has(op) && typeof value !== 'string') refuse(`'${op}' needs a string value`);
    return value;
  }

  private enter(token: FilterToken): void {
    if (++this.depth > FILTER_LIMITS.maxDepth) {
      throw scimErrors[this.errorType](
        `filter nests deeper than ${FILTER_LIMITS.maxDepth} levels`,
        token.start,
      );
    }
  }

  private isKeyword(token: FilterToken, keyword: string): boolean {
    return token.type === 'word' && token.text.toLowerCase() === keyword;
  }
}
