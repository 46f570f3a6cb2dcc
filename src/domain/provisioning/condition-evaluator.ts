import type { ComparisonOperator, Condition, Operand, Scalar } from './condition-parser.js';

/**
 * Evaluates a parsed condition against a user's upstream attributes (SAML attributes or OIDC claims,
 * after the attribute map). Semantics, chosen so a rule can only match on data that is really there:
 *
 * - An attribute is read only if it is the object's own property (`Object.hasOwn`), so `constructor`
 *   or `__proto__` never reach the prototype. A missing attribute, `null`, `undefined`, an empty array
 *   or a value that is not a string, number or boolean is *missing* (nested objects are not walked).
 * - An array attribute is multi-valued. A comparison holds if it holds for **any** value:
 *   `groups == 'Admins'` is true when one of the groups is `Admins`, as is `groups contains 'Admins'`.
 *   `!=` and `not in` are the negation of `==` and `in`: `groups != 'Admins'` means no group is `Admins`.
 * - Every comparison with a missing side is false, including `!=` and `not in`, except the null checks:
 *   `x == null` is true exactly when `x` is missing, `x != null` exactly when it is present.
 * - `a in [..]`, `a contains b` and `b in a` all mean "some value of one side equals some value of the
 *   other"; `x not in []` is true for a present `x`.
 * - Equality is strict: no coercion between numbers, strings and booleans (`'5' == 5` is false), and
 *   strings compare exactly, case-sensitively. IdP values are identifiers (group names, role codes),
 *   not prose: folding case would let `admins` match a different group named `Admins`, and the operator
 *   can always list the spellings they mean. `<`, `<=`, `>`, `>=` compare two numbers or two strings
 *   (by UTF-16 code units); mixed types or booleans never compare.
 */
export type Attributes = Readonly<Record<string, unknown>>;

type Present = Exclude<Scalar, null>;

export function evaluateCondition(condition: Condition, attributes: Attributes): boolean {
  switch (condition.kind) {
    case 'or':
      return condition.conditions.some((part) => evaluateCondition(part, attributes));
    case 'and':
      return condition.conditions.every((part) => evaluateCondition(part, attributes));
    case 'not':
      return !evaluateCondition(condition.condition, attributes);
    case 'constant':
      return condition.value;
    case 'compare':
      return compare(condition.operator, condition.left, condition.right, attributes);
  }
}

function compare(
  operator: ComparisonOperator,
  left: Operand,
  right: Operand,
  attributes: Attributes,
): boolean {
  const isNull = (operand: Operand) => operand.kind === 'literal' && operand.value === null;
  if ((operator === '==' || operator === '!=') && (isNull(left) || isNull(right))) {
    const present = valuesOf(isNull(right) ? left : right, attributes) !== undefined;
    return operator === '==' ? !present : present;
  }
  const lefts = valuesOf(left, attributes);
  const rights = valuesOf(right, attributes);
  if (lefts === undefined || rights === undefined) return false;
  const any = (test: (l: Present, r: Present) => boolean) =>
    lefts.some((l) => rights.some((r) => test(l, r)));
  switch (operator) {
    case '==':
    case 'in':
    case 'contains':
      return any((l, r) => l === r);
    case '!=':
    case 'not in':
      return !any((l, r) => l === r);
    case '<':
      return any((l, r) => comparable(l, r) && l < r);
    case '<=':
      return any((l, r) => comparable(l, r) && l <= r);
    case '>':
      return any((l, r) => comparable(l, r) && l > r);
    case '>=':
      return any((l, r) => comparable(l, r) && l >= r);
  }
}

/** The present values of an operand, or `undefined` when it is missing (a literal list may be empty). */
function valuesOf(operand: Operand, attributes: Attributes): readonly Present[] | undefined {
  if (operand.kind === 'list') return operand.items;
  if (operand.kind === 'literal') return operand.value === null ? undefined : [operand.value];
  if (!Object.hasOwn(attributes, operand.name)) return undefined;
  const raw = attributes[operand.name];
  const values = (Array.isArray(raw) ? (raw as unknown[]) : [raw]).filter(isPresent);
  return values.length === 0 ? undefined : values;
}

function isPresent(value: unknown): value is Present {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && !Number.isNaN(value))
  );
}

function comparable(left: Present, right: Present): boolean {
  return typeof left === typeof right && typeof left !== 'boolean';
}
