import { scimErrors } from '../model/scim-error.js';

/**
 * Splits filter and path text into tokens. Words are runs of attribute-path characters (a URN prefix
 * such as `urn:ietf:params:scim:schemas:core:2.0:User:userName` is one word, dots and all); which
 * words are operators is for the parser to say, since RFC 7644 §3.4.2.2 decides that by position.
 */

export type FilterToken = { readonly start: number; readonly text: string } & (
  | { readonly type: 'word' | '(' | ')' | '[' | ']' | 'end' }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly value: number }
);

export type ExpressionErrorType = 'invalidFilter' | 'invalidPath';

const PUNCTUATION = new Set(['(', ')', '[', ']']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const isDigit = (c: string) => c >= '0' && c <= '9';
const isWordChar = (c: string) =>
  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || '_-:.$'.includes(c);
/** RFC 8259 §6 number grammar, anchored at the lexer's position. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** `offset` is where `text` starts in the text the user sent, so positions in errors point there. */
export function tokenize(text: string, errorType: ExpressionErrorType, offset = 0): FilterToken[] {
  const fail = (detail: string, at: number): never => {
    throw scimErrors[errorType](detail, offset + at);
  };
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const start = offset + i;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (PUNCTUATION.has(c)) {
      tokens.push({ type: c as '(' | ')' | '[' | ']', start, text: c });
      i++;
    } else if (c === '"') {
      const [value, end] = readString(text, i, fail);
      tokens.push({ type: 'string', value, start, text: text.slice(i, end) });
      i = end;
    } else if (isDigit(c) || c === '-') {
      NUMBER.lastIndex = i;
      const raw = NUMBER.exec(text)?.[0];
      const end = i + (raw?.length ?? 0);
      if (raw === undefined || (end < text.length && isWordChar(text[end]!))) {
        let stop = i + 1;
        while (stop < text.length && isWordChar(text[stop]!)) stop++;
        fail(`'${text.slice(i, stop)}' is neither a number nor an attribute name`, i);
      }
      tokens.push({ type: 'number', value: Number(raw), start, text: raw! });
      i = end;
    } else if (isWordChar(c)) {
      let end = i + 1;
      while (end < text.length && isWordChar(text[end]!)) end++;
      tokens.push({ type: 'word', start, text: text.slice(i, end) });
      i = end;
    } else {
      fail(`unexpected character '${c}'`, i);
    }
  }
  tokens.push({ type: 'end', start: offset + text.length, text: '' });
  return tokens;
}

/** Reads the JSON string (RFC 8259 §7) opening at `start`; returns its value and the index after it. */
function readString(
  text: string,
  start: number,
  fail: (detail: string, at: number) => never,
): [string, number] {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return [value, i + 1];
    if (c < ' ') fail('a control character must be escaped inside a string', i);
    if (c !== '\\') {
      value += c;
      continue;
    }
    const e = text[++i] ?? '';
    if (e === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`'\\u' must be followed by 4 hex digits`, i - 1);
      value += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      const escaped = ESCAPES[e];
      if (escaped === undefined) fail(`unknown escape '\\${e}' in a string`, i - 1);
      value += escaped;
    }
  }
  return fail('unterminated string starting', start);
}
