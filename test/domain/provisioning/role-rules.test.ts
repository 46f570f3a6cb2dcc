import { describe, expect, it } from '@jest/globals';
import {
  CONDITION_LIMITS,
  ConditionSyntaxError,
  RoleRulesError,
  compileRoleRules,
  evaluateCondition,
  parseCondition,
  type Attributes,
} from '../../../src/domain/provisioning/role-rules.js';

const USER = {
  maritime_role: 'Senior_Underwriter',
  business_unit: 'Marine_Cargo',
  groups: ['Underwriters', 'Admins'],
  email: 'ada@example.com',
  level: 7,
  active: true,
};

const holds = (condition: string, attributes: Attributes = USER) =>
  evaluateCondition(parseCondition(condition), attributes);

function syntaxError(condition: string): ConditionSyntaxError {
  try {
    parseCondition(condition);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(condition)} to be rejected`);
}

describe('role rules', () => {
  const rules = [
    { condition: "maritime_role == 'Senior_Underwriter'", assign_role: 'senior_underwriter' },
    { condition: "business_unit in ['Marine_Cargo', 'Hull']", assign_role: 'claims_adjuster' },
    { condition: "groups contains 'Admins'", assign_role: 'senior_underwriter' },
  ];

  it('assigns the distinct roles of every matching rule, in rule order', () => {
    const compiled = compileRoleRules(rules);
    expect(compiled.evaluate(USER)).toEqual(['senior_underwriter', 'claims_adjuster']);
    expect(compiled.evaluate({ business_unit: 'Hull' })).toEqual(['claims_adjuster']);
    expect(compiled.evaluate({ business_unit: 'Aviation' })).toEqual([]);
    expect(compileRoleRules([]).evaluate(USER)).toEqual([]);
  });

  it('reports every bad rule with its index and column', () => {
    let error: unknown;
    try {
      compileRoleRules([
        rules[0]!,
        { condition: "business_unit in ['Marine_Cargo'", assign_role: 'x' },
        { condition: 'business_unit in', assign_role: '' },
      ]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RoleRulesError);
    expect((error as RoleRulesError).code).toBe('invalid_role_rules');
    expect((error as RoleRulesError).problems).toEqual([
      { index: 1, field: 'condition', column: 33, message: expect.stringContaining("expected ',' or ']'") },
      { index: 2, field: 'assign_role', message: 'must be a non-empty role name' },
      { index: 2, field: 'condition', column: 17, message: "expected a value after 'in' at column 17" },
    ]);
    expect((error as Error).message).toContain('role_rules[2].condition');
  });

  it('rejects conditions that are not strings (rules come from YAML)', () => {
    const bad = [{ condition: 42, assign_role: 'x' }] as unknown as Parameters<typeof compileRoleRules>[0];
    expect(() => compileRoleRules(bad)).toThrow('role_rules[0].condition: must be a string');
  });
});

describe('operators', () => {
  it.each([
    ["maritime_role == 'Senior_Underwriter'", true],
    ["maritime_role == 'senior_underwriter'", false],
    ["maritime_role != 'Junior'", true],
    ["maritime_role != 'Senior_Underwriter'", false],
    ['level < 8', true],
    ['level < 7', false],
    ['level <= 7', true],
    ['level > 6.5', true],
    ['level >= 8', false],
    ['level > -1', true],
    ["email > 'a'", true],
    ["email < 'B'", false],
    ["business_unit in ['Hull', 'Marine_Cargo']", true],
    ["business_unit not in ['Hull', 'Marine_Cargo']", false],
    ["business_unit not in ['Hull']", true],
    ['business_unit in []', false],
    ['business_unit not in []', true],
    ["groups contains 'Admins'", true],
    ["groups contains 'Auditors'", false],
    ["groups contains ['Auditors', 'Underwriters']", true],
    ["'Admins' in groups", true],
    ['active == true', true],
    ['active != false', true],
    ['level in [1, 7]', true],
    ['true', true],
    ['false', false],
  ])('%s is %s', (condition, expected) => {
    expect(holds(condition)).toBe(expected);
  });

  it('does not coerce between numbers, strings and booleans', () => {
    expect(holds("level == '7'")).toBe(false);
    expect(holds("level in ['7']")).toBe(false);
    expect(holds("active == 'true'")).toBe(false);
    expect(holds("level < '8'")).toBe(false);
    expect(holds('active > false')).toBe(false);
    expect(holds("code == '007'", { code: '007' })).toBe(true);
    expect(holds('code == 7', { code: '007' })).toBe(false);
  });

  it('reads escapes in strings and quoted names', () => {
    expect(holds(String.raw`name == 'O\'Brien'`, { name: "O'Brien" })).toBe(true);
    expect(holds(String.raw`name == "back\\slash \"q\""`, { name: 'back\\slash "q"' })).toBe(true);
    expect(holds(String.raw`name == 'a\tb\nc'`, { name: 'a\tb\nc' })).toBe(true);
  });
});

describe('precedence and parentheses', () => {
  it('binds not tighter than and, and tighter than or', () => {
    // or(a, and(b, c)): true because the first comparison holds.
    expect(holds('level == 7 or level == 1 and level == 2')).toBe(true);
    expect(holds('(level == 7 or level == 1) and level == 2')).toBe(false);
    // not applies to the comparison after it only.
    expect(holds('not level == 1 and level == 7')).toBe(true);
    expect(holds('not (level == 1 or level == 7)')).toBe(false);
    expect(holds('not not level == 7')).toBe(true);
    expect(holds("((level == 7)) and (not (groups contains 'x'))")).toBe(true);
  });

  it('builds flat and/or nodes', () => {
    expect(parseCondition('a == 1 and b == 2 and c == 3 or d == 4')).toEqual({
      kind: 'or',
      conditions: [
        {
          kind: 'and',
          conditions: ['a', 'b', 'c'].map((name, i) => ({
            kind: 'compare',
            operator: '==',
            left: { kind: 'attribute', name },
            right: { kind: 'literal', value: i + 1 },
          })),
        },
        {
          kind: 'compare',
          operator: '==',
          left: { kind: 'attribute', name: 'd' },
          right: { kind: 'literal', value: 4 },
        },
      ],
    });
  });
});

describe('missing attributes', () => {
  it('makes every comparison false except the null checks', () => {
    for (const condition of [
      'x == 1',
      "x != 'a'",
      'x < 1',
      "x >= ''",
      "x in ['a']",
      "x not in ['a']",
      'x not in []',
    ]) {
      expect([condition, holds(condition, {})]).toEqual([condition, false]);
    }
    expect(holds("groups contains 'a'", {})).toBe(false);
    expect(holds('x == null', {})).toBe(true);
    expect(holds('x != null', {})).toBe(false);
    expect(holds('null == x', {})).toBe(true);
    expect(holds('email != null')).toBe(true);
    expect(holds('email == null')).toBe(false);
    expect(holds('not x == 1', {})).toBe(true);
  });

  it('treats null, undefined, empty arrays and non-scalar values as missing', () => {
    for (const value of [null, undefined, [], [null], { nested: 'a' }, Number.NaN]) {
      expect(holds('x == null', { x: value })).toBe(true);
      expect(holds("x != 'a'", { x: value })).toBe(false);
    }
  });
});

describe('multi-valued attributes', () => {
  const user = { groups: ['Underwriters', 'Admins'], levels: [3, 9] };

  it('holds when any value matches', () => {
    expect(holds("groups == 'Admins'", user)).toBe(true);
    expect(holds("groups in ['Admins', 'Ops']", user)).toBe(true);
    expect(holds("groups in ['Ops']", user)).toBe(false);
    expect(holds('levels > 5', user)).toBe(true);
    expect(holds('levels < 1', user)).toBe(false);
  });

  it('negates == and in for != and not in', () => {
    expect(holds("groups != 'Admins'", user)).toBe(false);
    expect(holds("groups != 'Ops'", user)).toBe(true);
    expect(holds("groups not in ['Ops', 'Admins']", user)).toBe(false);
    expect(holds("groups not in ['Ops']", user)).toBe(true);
  });

  it('ignores values that are not strings, numbers or booleans', () => {
    expect(holds("groups contains 'a'", { groups: [{ toString: () => 'a' }, 'a'] })).toBe(true);
    expect(holds("groups contains '[object Object]'", { groups: [{}] })).toBe(false);
  });
});

describe('quoted identifiers', () => {
  const claim = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

  it('reads attribute names with any characters, and keywords as names', () => {
    expect(holds(`\`${claim}\` contains 'Underwriter'`, { [claim]: ['Underwriter'] })).toBe(true);
    expect(holds("`and` == 'x' and `not in` == 'y'", { and: 'x', 'not in': 'y' })).toBe(true);
    expect(holds('`a\\`b` == 1', { 'a`b': 1 })).toBe(true);
  });

  it('reads dotted and dashed names without quotes', () => {
    expect(holds("user.department-code == 'MC'", { 'user.department-code': 'MC' })).toBe(true);
  });
});

describe('syntax errors', () => {
  it.each([
    ["business_unit in ['Marine_Cargo', 'Hull", 'unterminated string starting at column 35'],
    ['business_unit in', "expected a value after 'in' at column 17"],
    ["a == 'x' and", "expected a condition after 'and' at column 13"],
    ["a == 'x' or or b == 1", "expected a condition after 'or' but found 'or' at column 13"],
    ['a ==', "expected a value after '==' at column 5"],
    ['a', "expected a comparison operator after 'a' at column 2"],
    ["a = 'x'", "unexpected character '=' at column 3"],
    ["a == 'x' && b == 1", "unexpected character '&' at column 10"],
    ['a == 1 b == 2', "expected 'and', 'or' or the end of the condition but found 'b' at column 8"],
    ['(a == 1', "expected ')' to close '(' from column 1 at column 8"],
    ['a == 1)', "expected 'and', 'or' or the end of the condition but found ')' at column 7"],
    ['a == 1 == 2', "expected 'and', 'or' or the end of the condition but found '==' at column 8"],
    ['a == [1]', "a list can only follow 'in', 'not in' or 'contains' but found '[' at column 6"],
    ['a in [b]', "list items must be literals; quote 'b' if it is text but found 'b' at column 7"],
    [
      'a in [null]',
      "null cannot be a list item; compare with '== null' instead but found 'null' at column 7",
    ],
    ['a in [1,]', "expected a value after ',' but found ']' at column 9"],
    ['a in [1 2]', "expected ',' or ']' in the list opened at column 6 but found '2' at column 9"],
    ['a == 1.2.3', "'1.2.3' is not a number at column 6"],
    ['a == 12abc', "'12abc' is not a number at column 6"],
    ["a == 'x\\q'", "unknown escape '\\q' at column 8"],
    ['`` == 1', 'a quoted name cannot be empty at column 1'],
    ['`abc == 1', 'unterminated quoted name starting at column 1'],
    ['', 'condition is empty at column 1'],
    ['   ', 'condition is empty at column 1'],
  ])('%s', (condition, message) => {
    expect(syntaxError(condition).message).toBe(message);
  });

  it('carries the position and a stable code', () => {
    const error = syntaxError("business_unit in ['Marine_Cargo', 'Hull");
    expect(error).toMatchObject({ position: 34, column: 35, code: 'invalid_condition' });
    expect(error.detail).toBe('unterminated string starting');
  });
});

describe('limits', () => {
  it('refuses text longer than the limit', () => {
    const name = 'a'.repeat(CONDITION_LIMITS.maxLength - 'x == 1'.length + 'x'.length);
    expect(() => parseCondition(`${name} == 1`)).not.toThrow();
    expect(syntaxError(`${name}b == 1`).message).toBe(
      'condition is longer than 1000 characters at column 1001',
    );
  });

  it('refuses nesting deeper than the limit', () => {
    const nest = (depth: number) => `${'('.repeat(depth)}a == 1${')'.repeat(depth)}`;
    expect(holds(nest(32), { a: 1 })).toBe(true);
    expect(syntaxError(nest(33)).message).toBe('nesting exceeds 32 levels at column 33');
    expect(holds(`${'not '.repeat(32)}a == 1`, { a: 1 })).toBe(true);
    expect(syntaxError(`${'not '.repeat(33)}a == 1`).message).toBe('nesting exceeds 32 levels at column 129');
  });

  it('refuses lists longer than the limit', () => {
    const list = (length: number) => `a in [${Array.from({ length }, (_, i) => i).join(', ')}]`;
    expect(holds(list(100), { a: 99 })).toBe(true);
    expect(syntaxError(list(101)).message).toMatch(/^a list may hold at most 100 items but found '100'/);
  });
});

describe('hostile input', () => {
  it('reads only own attributes, never the prototype', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(holds(`${name} != null`, {})).toBe(false);
      expect(holds(`\`${name}\` == null`, { a: 1 })).toBe(true);
    }
    expect(holds('x == null', Object.create({ x: 'inherited' }) as Attributes)).toBe(true);
    expect(holds("constructor == 'own'", { constructor: 'own' })).toBe(true);
    const parsed = JSON.parse('{"__proto__": "own"}') as Attributes;
    expect(holds("__proto__ == 'own'", parsed)).toBe(true);
  });

  it('works on attributes without a prototype', () => {
    const attributes = Object.assign(Object.create(null) as Record<string, unknown>, { a: 'x' });
    expect(holds("a == 'x' and b == null", attributes)).toBe(true);
  });

  it('treats code-looking text as a syntax error, never running it', () => {
    expect(syntaxError('process.exit()').message).toBe(
      "expected a comparison operator after 'process.exit' but found '(' at column 13",
    );
    expect(syntaxError("constructor.constructor('return process')()").message).toMatch(/at column 24$/);
    // A quoted name is only ever a name: this compares with the (missing) attribute of that name.
    expect(parseCondition('a == `${process.exit()}`')).toMatchObject({
      right: { kind: 'attribute', name: '${process.exit()}' },
    });
    expect(holds('a == `${process.exit()}`', { a: 1 })).toBe(false);
    expect(syntaxError('require("fs") == 1').message).toMatch(/found '\(' at column 8$/);
    expect(syntaxError('a == 1; process.exit(1)').message).toBe("unexpected character ';' at column 7");
  });
});
