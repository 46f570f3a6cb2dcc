import { DomainError } from '../errors.js';

/**
 * Parser for JIT role-rule conditions such as `business_unit in ['Marine_Cargo', 'Hull']`.
 * A hand-written tokenizer and recursive descent build a plain AST; nothing is ever run as code, so
 * `process.exit()` is an attribute name followed by a syntax error. Binding, loosest first: `or`,
 * `and`, `not`, comparison. `not` negates the condition after it (`not a == 1` is `not (a == 1)`):
 * operands are values, not booleans, so it cannot sensibly apply to a bare operand.
 */

export type Scalar = string | number | boolean | null;
export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'contains';
export type Operand =
  | { kind: 'attribute'; name: string }
  | { kind: 'literal'; value: Scalar }
  | { kind: 'list'; items: Exclude<Scalar, null>[] };
export type Condition =
  | { kind: 'or' | 'and'; conditions: Condition[] }
  | { kind: 'not'; condition: Condition }
  | { kind: 'compare'; operator: ComparisonOperator; left: Operand; right: Operand }
  /** A bare `true` or `false`, e.g. a catch-all rule. */
  | { kind: 'constant'; value: boolean };

export const CONDITION_LIMITS = { maxLength: 1000, maxDepth: 32, maxListItems: 100 } as const;

/** The condition text is not valid; `position` is 0-based, `column` 1-based (as in the message). */
export class ConditionSyntaxError extends DomainError {
  constructor(
    readonly detail: string,
    readonly position: number,
  ) {
    super(`${detail} at column ${position + 1}`, 'invalid_condition');
  }

  get column(): number {
    return this.position + 1;
  }
}

export function parseCondition(text: string): Condition {
  const max = CONDITION_LIMITS.maxLength;
  if (text.length > max) throw new ConditionSyntaxError(`condition is longer than ${max} characters`, max);
  const tokens = tokenize(text);
  if (tokens.length === 1) throw new ConditionSyntaxError('condition is empty', 0);
  return parseTokens(tokens);
}

type Token = { start: number; text: string } & (
  { type: 'name' | 'word' | 'symbol' | 'end'; value: string } | { type: 'literal'; value: Scalar }
);

const WORDS = new Set(['and', 'or', 'not', 'in', 'contains']);
const LITERAL_WORDS = new Map<string, Scalar>(Object.entries({ true: true, false: false, null: null }));
const SYMBOLS = ['==', '!=', '<=', '>=', '<', '>', '(', ')', '[', ']', ','];
const COMPARISONS = new Set(['==', '!=', '<=', '>=', '<', '>', 'in', 'contains']);
const LIST_OPERATORS = new Set(['in', 'not in', 'contains']);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isNameStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNamePart = (c: string) => isNameStart(c) || isDigit(c) || c === '.' || c === '-';
const is = (token: Token, value: string) =>
  (token.type === 'word' || token.type === 'symbol') && token.value === value;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const c = text[i]!;
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, start));
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (symbol) {
      tokens.push({ type: 'symbol', value: symbol, start, text: symbol });
      i += symbol.length;
    } else if (c === "'" || c === '"' || c === '`') {
      const [value, end] = readQuoted(text, start);
      if (c === '`' && value === '') throw new ConditionSyntaxError('a quoted name cannot be empty', start);
      tokens.push({ type: c === '`' ? 'name' : 'literal', value, start, text: text.slice(start, end) });
      i = end;
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1] ?? ''))) {
      for (i++; i < text.length && isNamePart(text[i]!);) i++;
      const raw = text.slice(start, i);
      const parts = (c === '-' ? raw.slice(1) : raw).split('.');
      const valid = parts.length <= 2 && parts.every((part) => part !== '' && [...part].every(isDigit));
      if (!valid) throw new ConditionSyntaxError(`'${raw}' is not a number`, start);
      tokens.push({ type: 'literal', value: Number(raw), start, text: raw });
    } else if (isNameStart(c)) {
      for (i++; i < text.length && isNamePart(text[i]!);) i++;
      const raw = text.slice(start, i);
      const literal = LITERAL_WORDS.get(raw);
      if (literal !== undefined) tokens.push({ type: 'literal', value: literal, start, text: raw });
      else tokens.push({ type: WORDS.has(raw) ? 'word' : 'name', value: raw, start, text: raw });
    } else {
      throw new ConditionSyntaxError(`unexpected character '${c}'`, start);
    }
  }
  tokens.push({ type: 'end', value: '', start: text.length, text: '' });
  return tokens;
}

/** Reads a quoted string or name starting at `start`; returns its value and the index after it. */
function readQuoted(text: string, start: number): [string, number] {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return [value, i + 1];
    const e = c === '\\' ? (text[++i] ?? '') : ''; // the escaped character, if any
    if (e && !'nt\\\'"`'.includes(e)) throw new ConditionSyntaxError(`unknown escape '\\${e}'`, i - 1);
    value += c !== '\\' ? c : e === 'n' ? '\n' : e === 't' ? '\t' : e;
  }
  throw new ConditionSyntaxError(`unterminated ${quote === '`' ? 'quoted name' : 'string'} starting`, start);
}

function parseTokens(tokens: Token[]): Condition {
  let index = 0;
  let depth = 0;
  const { maxDepth, maxListItems } = CONDITION_LIMITS;
  const peek = (ahead = 0) => tokens[Math.min(index + ahead, tokens.length - 1)]!;
  const next = () => tokens[Math.min(index++, tokens.length - 1)]!;
  /** Fails at the current token, naming it unless it is the end of the text. */
  const fail = (detail: string): never => {
    const token = peek();
    const found = token.type === 'end' ? '' : ` but found '${token.text}'`;
    throw new ConditionSyntaxError(`${detail}${found}`, token.start);
  };
  const literal = (token: Token) => (token.type === 'literal' ? token.value : undefined);

  /** `a or b` holds `and` chains, `a and b` holds unary conditions. */
  function parseChain(kind: 'or' | 'and', after?: Token): Condition {
    const part = (token?: Token) => (kind === 'or' ? parseChain('and', token) : parseUnary(token));
    const conditions = [part(after)];
    while (is(peek(), kind)) conditions.push(part(next()));
    return conditions.length === 1 ? conditions[0]! : { kind, conditions };
  }

  function parseUnary(after?: Token): Condition {
    const token = peek();
    if (!is(token, 'not') && !is(token, '(')) return parseComparison(after);
    next();
    if (++depth > maxDepth) throw new ConditionSyntaxError(`nesting exceeds ${maxDepth} levels`, token.start);
    const inner = is(token, 'not') ? parseUnary(token) : parseChain('or');
    if (is(token, '(') && !is(peek(), ')')) fail(`expected ')' to close '(' from column ${token.start + 1}`);
    if (is(token, '(')) next();
    depth--;
    return is(token, 'not') ? { kind: 'not', condition: inner } : inner;
  }

  function parseComparison(after?: Token): Condition {
    const left = parseOperand(after ? `a condition after '${after.text}'` : 'a condition', false);
    const token = peek();
    const notIn = is(token, 'not') && is(peek(1), 'in');
    const symbolic = token.type === 'symbol' || token.type === 'word';
    const constant = left.kind === 'literal' && typeof left.value === 'boolean' ? left.value : undefined;
    if (!notIn && !(symbolic && COMPARISONS.has(token.value))) {
      if (constant !== undefined) return { kind: 'constant', value: constant };
      fail(`expected a comparison operator after '${tokens[index - 1]!.text}'`);
    }
    const operator = (notIn ? 'not in' : token.value) as ComparisonOperator;
    index += notIn ? 2 : 1;
    const right = parseOperand(`a value after '${operator}'`, LIST_OPERATORS.has(operator));
    return { kind: 'compare', operator, left, right };
  }

  function parseOperand(expected: string, allowList: boolean): Operand {
    const token = peek();
    if (is(token, '[') && !allowList) fail(`a list can only follow 'in', 'not in' or 'contains'`);
    if (is(token, '[')) return parseList();
    const value = literal(token);
    if (token.type !== 'name' && value === undefined) fail(`expected ${expected}`);
    next();
    return token.type === 'name'
      ? { kind: 'attribute', name: token.value }
      : { kind: 'literal', value: value! };
  }

  function parseList(): Operand {
    const open = next();
    const items: Exclude<Scalar, null>[] = [];
    for (let previous = open; !(items.length === 0 && is(peek(), ']')); previous = next()) {
      const token = peek();
      const value = literal(token);
      if (token.type === 'name') fail(`list items must be literals; quote '${token.text}' if it is text`);
      if (value === null) fail(`null cannot be a list item; compare with '== null' instead`);
      if (value === undefined) fail(`expected a value after '${previous.text}'`);
      if (items.length === maxListItems) fail(`a list may hold at most ${maxListItems} items`);
      items.push(value!);
      next();
      if (is(peek(), ']')) break;
      if (!is(peek(), ',')) fail(`expected ',' or ']' in the list opened at column ${open.start + 1}`);
    }
    next();
    return { kind: 'list', items };
  }

  const condition = parseChain('or');
  if (peek().type !== 'end') fail(`expected 'and', 'or' or the end of the condition`);
  return condition;
}
