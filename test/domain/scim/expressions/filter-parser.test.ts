import { describe, expect, it } from '@jest/globals';
import type { AttributePath, Filter, FilterValue } from '../../../../src/domain/scim/expressions/index.js';
import { FILTER_LIMITS, parseFilter } from '../../../../src/domain/scim/expressions/index.js';
import { ScimError } from '../../../../src/domain/scim/model/scim-error.js';
import { ENTERPRISE, scimError, USER_SCHEMA_ID } from '../scim-test-helpers.js';

/** `name.familyName` → { attribute: 'name', subAttribute: 'familyname' }; names as the AST holds them. */
const at = (dotted: string, schema?: string): AttributePath => {
  const [attribute, subAttribute] = dotted.split('.');
  return {
    ...(schema !== undefined && { schema }),
    attribute: attribute!,
    ...(subAttribute !== undefined && { subAttribute }),
  };
};
const cmp = (path: string, op: string, value: FilterValue, schema?: string): Filter =>
  ({ kind: 'compare', path: at(path, schema), op, value }) as Filter;
const pr = (path: string): Filter => ({ kind: 'present', path: at(path) });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (attribute: string, filter: Filter): Filter => ({
  kind: 'valuePath',
  attribute: { attribute },
  filter,
});

/** The error `parseFilter` throws for `text`. */
const failure = (text: string) => scimError(() => parseFilter(text));

describe('parseFilter: the RFC 7644 §3.4.2.2 examples', () => {
  const examples: [string, Filter][] = [
    ['userName eq "bjensen"', cmp('username', 'eq', 'bjensen')],
    [`name.familyName co "O'Malley"`, cmp('name.familyname', 'co', "O'Malley")],
    ['userName sw "J"', cmp('username', 'sw', 'J')],
    [`${USER_SCHEMA_ID}:userName sw "J"`, cmp('username', 'sw', 'J', USER_SCHEMA_ID)],
    ['title pr', pr('title')],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', cmp('meta.lastmodified', 'gt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', cmp('meta.lastmodified', 'ge', '2011-05-13T04:42:34Z')],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', cmp('meta.lastmodified', 'lt', '2011-05-13T04:42:34Z')],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', cmp('meta.lastmodified', 'le', '2011-05-13T04:42:34Z')],
    ['title pr and userType eq "Employee"', and(pr('title'), cmp('usertype', 'eq', 'Employee'))],
    ['title pr or userType eq "Intern"', or(pr('title'), cmp('usertype', 'eq', 'Intern'))],
    [`schemas eq "${ENTERPRISE}"`, cmp('schemas', 'eq', ENTERPRISE)],
    [
      'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('usertype', 'eq', 'Employee'),
        or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org')),
      ),
    ],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      and(
        cmp('usertype', 'ne', 'Employee'),
        not(or(cmp('emails', 'co', 'example.com'), cmp('emails.value', 'co', 'example.org'))),
      ),
    ],
    [
      'userType eq "Employee" and (emails.type eq "work")',
      and(cmp('usertype', 'eq', 'Employee'), cmp('emails.type', 'eq', 'work')),
    ],
    [
      'userType eq "Employee" and emails[type eq "work" and value co "@example.com"]',
      and(
        cmp('usertype', 'eq', 'Employee'),
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
      ),
    ],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      or(
        vp('emails', and(cmp('type', 'eq', 'work'), cmp('value', 'co', '@example.com'))),
        vp('ims', and(cmp('type', 'eq', 'xmpp'), cmp('value', 'co', '@foo.com'))),
      ),
    ],
  ];

  it.each(examples)('%s', (text, expected) => {
    expect(parseFilter(text)).toEqual(expected);
  });
});

describe('parseFilter: operators and literals', () => {
  it.each(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'])('reads %s, in any case', (op) => {
    expect(parseFilter(`title ${op} "x"`)).toEqual(cmp('title', op, 'x'));
    expect(parseFilter(`title ${op.toUpperCase()} "x"`)).toEqual(cmp('title', op, 'x'));
  });

  it('reads pr, and, or and not in any case', () => {
    expect(parseFilter('title PR AND nickName Pr OR NOT (userType pR)')).toEqual(
      or(and(pr('title'), pr('nickname')), not(pr('usertype'))),
    );
  });

  it.each<[string, FilterValue]>([
    ['true', true],
    ['FALSE', false],
    ['True', true],
    ['null', null],
    ['NULL', null],
    ['0', 0],
    ['42', 42],
    ['-7', -7],
    ['3.25', 3.25],
    ['1e3', 1000],
    ['-2.5E-1', -0.25],
  ])('reads the literal %s', (literal, value) => {
    expect(parseFilter(`x eq ${literal}`)).toEqual(cmp('x', 'eq', value));
  });

  it('reads JSON string escapes', () => {
    expect(parseFilter(String.raw`title eq "a \"quoted\" back\\slash \/ \u00e9\n\t"`)).toEqual(
      cmp('title', 'eq', 'a "quoted" back\\slash / é\n\t'),
    );
    expect(parseFilter('title eq ""')).toEqual(cmp('title', 'eq', ''));
    expect(parseFilter('title eq "and or not ( ) [ ]"')).toEqual(cmp('title', 'eq', 'and or not ( ) [ ]'));
  });

  it('lower-cases attribute names (RFC 7643 §2.1) and keeps the schema URN as written', () => {
    expect(parseFilter('NAME.FamilyName eq "Jensen"')).toEqual(cmp('name.familyname', 'eq', 'Jensen'));
    expect(parseFilter(`${ENTERPRISE}:employeeNumber eq "701984"`)).toEqual(
      cmp('employeenumber', 'eq', '701984', ENTERPRISE),
    );
    expect(parseFilter(`${ENTERPRISE}:manager.value eq "26118915"`)).toEqual(
      cmp('manager.value', 'eq', '26118915', ENTERPRISE),
    );
    expect(parseFilter('members.$ref pr')).toEqual(pr('members.$ref'));
  });

  it('accepts a value path on an extension attribute', () => {
    expect(parseFilter(`${ENTERPRISE}:badges[value eq "b1"]`)).toEqual({
      kind: 'valuePath',
      attribute: { schema: ENTERPRISE, attribute: 'badges' },
      filter: cmp('value', 'eq', 'b1'),
    });
  });

  it('tolerates extra or missing whitespace around brackets, parentheses and strings', () => {
    expect(parseFilter('  (title pr)and(nickName pr)  ')).toEqual(and(pr('title'), pr('nickname')));
    expect(parseFilter('emails[ type eq"work" ]or title pr')).toEqual(
      or(vp('emails', cmp('type', 'eq', 'work')), pr('title')),
    );
    expect(parseFilter('not(title pr)')).toEqual(not(pr('title')));
  });
});

describe('parseFilter: precedence', () => {
  it('binds and tighter than or, on either side', () => {
    expect(parseFilter('a pr or b pr and c pr')).toEqual(or(pr('a'), and(pr('b'), pr('c'))));
    expect(parseFilter('a pr and b pr or c pr')).toEqual(or(and(pr('a'), pr('b')), pr('c')));
  });

  it('associates and and or to the left', () => {
    expect(parseFilter('a pr and b pr and c pr')).toEqual(and(and(pr('a'), pr('b')), pr('c')));
    expect(parseFilter('a pr or b pr or c pr')).toEqual(or(or(pr('a'), pr('b')), pr('c')));
  });

  it('binds not tighter than and', () => {
    expect(parseFilter('not (a pr) and b pr')).toEqual(and(not(pr('a')), pr('b')));
    expect(parseFilter('b pr or not (a pr or c pr)')).toEqual(or(pr('b'), not(or(pr('a'), pr('c')))));
  });

  it('lets parentheses override precedence, nested at will', () => {
    expect(parseFilter('(a pr or b pr) and c pr')).toEqual(and(or(pr('a'), pr('b')), pr('c')));
    expect(parseFilter('((a pr))')).toEqual(pr('a'));
    expect(parseFilter('not (not (a pr))')).toEqual(not(not(pr('a'))));
    expect(parseFilter('not ((a pr or b pr) and not (c pr))')).toEqual(
      not(and(or(pr('a'), pr('b')), not(pr('c')))),
    );
  });

  it('applies the same rules inside a value path', () => {
    expect(parseFilter('emails[type eq "work" or type eq "home" and not (primary eq true)]')).toEqual(
      vp(
        'emails',
        or(cmp('type', 'eq', 'work'), and(cmp('type', 'eq', 'home'), not(cmp('primary', 'eq', true)))),
      ),
    );
  });
});

describe('parseFilter: errors', () => {
  it.each<[string, string, number]>([
    ['', 'filter is empty', 0],
    ['   ', 'filter is empty', 0],
    [
      'userName eq',
      `expected a value (a "string", a number, true, false or null) after 'eq' but the text ended`,
      11,
    ],
    [
      'userName zz "x"',
      `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after 'userName' but found 'zz'`,
      9,
    ],
    ['userName', 'expected an operator', 8],
    ['(userName eq "x"', `expected ')' to close the '(' at column 1 but the text ended`, 16],
    ['userName eq "x")', `expected 'and', 'or' or the end of the filter but found ')'`, 15],
    ['userName eq "x" foo', `expected 'and', 'or' or the end of the filter but found 'foo'`, 16],
    ['userName eq "x" and', `expected an attribute name, 'not' or '(' but the text ended`, 19],
    ['"x" eq userName', `expected an attribute name, 'not' or '(' but found '"x"'`, 0],
    ['title gt true', `booleans can only be compared with eq or ne, not 'gt'`, 9],
    ['active lt false', `booleans can only be compared with eq or ne, not 'lt'`, 10],
    ['title co true', `booleans can only be compared with eq or ne, not 'co'`, 9],
    ['title gt null', 'null can only be compared with eq or ne', 9],
    ['title sw 12', `'sw' needs a string value`, 9],
    ['title eq bjensen', 'expected a value', 9],
    ['emails[type eq "work"', `expected ']' to close the '[' at column 7 but the text ended`, 21],
    ['emails[type eq "work")', `expected ']' to close the '[' at column 7 but found ')'`, 21],
    ['emails[type[value eq "x"] eq "y"]', 'a [filter] cannot be nested inside another', 11],
    [
      'emails[emails.type eq "work"]',
      `inside emails[...] name a sub-attribute of emails alone, not 'emails.type'`,
      7,
    ],
    [`emails[${ENTERPRISE}:type eq "work"]`, 'inside emails[...]', 7],
    [
      'name.familyName[value eq "x"]',
      `'name.familyName' is a sub-attribute; a [filter] applies to a multi-valued attribute`,
      15,
    ],
    ['userName eq "unterminated', 'unterminated string starting', 12],
    [String.raw`userName eq "a\qb"`, String.raw`unknown escape '\q' in a string`, 14],
    [String.raw`userName eq "\u12"`, String.raw`'\u' must be followed by 4 hex digits`, 13],
    ['userName eq "a\u0001b"', 'a control character must be escaped inside a string', 14],
    ['user#Name eq "x"', `unexpected character '#'`, 4],
    ["userName eq 'bjensen'", `unexpected character '''`, 12],
    ['a.b.c eq "x"', `'a.b.c' nests deeper than attribute.subAttribute`, 3],
    ['foo:bar eq "x"', `'foo:bar' has a ':' but no 'urn:' schema prefix`, 3],
    ['urn:ietf:params:scim:schemas:core:2.0:User: eq "x"', `expected an attribute name in`, 43],
    ['name. eq "x"', `expected an attribute name in 'name.'`, 5],
    ['1abc eq "x"', `'1abc' is neither a number nor an attribute name`, 0],
    ['count eq 01', `'01' is neither a number nor an attribute name`, 9],
    ['count eq -', `'-' is neither a number nor an attribute name`, 9],
    ['not title pr', `expected '(' after 'not' (RFC 7644 writes 'not (...)') but found 'title'`, 4],
    ['()', `expected an attribute name, 'not' or '(' but found ')'`, 1],
    ['emails[]', `expected an attribute name, 'not' or '(' but found ']'`, 7],
  ])('%j is invalidFilter: %s (0-based position %d)', (text, detail, position) => {
    const error = failure(text);
    expect(error).toBeInstanceOf(ScimError);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.status).toBe(400);
    expect(error.detail).toContain(detail);
    expect(error.position).toBe(position);
    expect(error.message).toBe(`${error.detail} at column ${position + 1}`);
  });
});

describe('parseFilter: limits', () => {
  it('takes a filter of exactly the maximum length and refuses one character more', () => {
    const filler = (length: number) => `title eq "${'a'.repeat(length - 'title eq ""'.length)}"`;
    expect(parseFilter(filler(FILTER_LIMITS.maxLength))).toEqual(
      cmp('title', 'eq', 'a'.repeat(FILTER_LIMITS.maxLength - 11)),
    );
    const error = failure(filler(FILTER_LIMITS.maxLength + 1));
    expect(error.scimType).toBe('invalidFilter');
    expect(error.message).toBe('filter is 4097 characters long; the limit is 4096');
  });

  it('nests up to the maximum depth of parentheses and refuses one more, at the offending one', () => {
    const depth = FILTER_LIMITS.maxDepth;
    const nested = (n: number) => `${'('.repeat(n)}title pr${')'.repeat(n)}`;
    expect(parseFilter(nested(depth))).toEqual(pr('title'));
    const error = failure(nested(depth + 1));
    expect(error.scimType).toBe('invalidFilter');
    expect(error.detail).toBe('filter nests deeper than 32 levels');
    expect(error.position).toBe(depth);
  });

  it('counts not (...) and value paths as nesting', () => {
    expect(failure(`${'not ('.repeat(33)}title pr${')'.repeat(33)}`).detail).toBe(
      'filter nests deeper than 32 levels',
    );
    const inner = `${'('.repeat(31)}type eq "work"${')'.repeat(31)}`;
    expect(parseFilter(`emails[${inner}]`)).toEqual(vp('emails', cmp('type', 'eq', 'work')));
    expect(failure(`emails[(${inner})]`).detail).toBe('filter nests deeper than 32 levels');
  });

  it('refuses thousands of open parentheses without exhausting the stack', () => {
    const error = failure('('.repeat(4000));
    expect(error.scimType).toBe('invalidFilter');
    expect(error.position).toBe(32);
  });

  it('parses a long flat chain of conditions, which does not nest', () => {
    const terms = Array.from({ length: 200 }, (_, i) => `a${i} pr`);
    let expected = pr('a0');
    for (let i = 1; i < 200; i++) expected = or(expected, pr(`a${i}`));
    expect(parseFilter(terms.join(' or '))).toEqual(expected);
  });
});
