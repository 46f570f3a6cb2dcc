import { DomainError } from '../errors.js';
import { evaluateCondition, type Attributes } from './condition-evaluator.js';
import { ConditionSyntaxError, parseCondition, type Condition } from './condition-parser.js';

export { ConditionSyntaxError, parseCondition, CONDITION_LIMITS } from './condition-parser.js';
export type { Condition, Operand, ComparisonOperator, Scalar } from './condition-parser.js';
export { evaluateCondition, type Attributes } from './condition-evaluator.js';

/**
 * Just-in-time role provisioning: each rule assigns a role when its condition holds for the user's
 * upstream attributes, e.g. `{ condition: "groups contains 'Underwriters'", assign_role: 'underwriter' }`.
 * The condition language and its semantics are described in condition-parser.ts and
 * condition-evaluator.ts. This module is pure: which roles exist, and applying them, is the caller's.
 */
export interface RoleRule {
  condition: string;
  assign_role: string;
}

export interface CompiledRoleRules {
  /** The distinct roles of every rule whose condition holds, in rule order. */
  evaluate(attributes: Attributes): string[];
}

/** One bad rule: `index` is 0-based; `column` (1-based) is set when the condition failed to parse. */
export interface RoleRuleProblem {
  index: number;
  field: 'condition' | 'assign_role';
  message: string;
  column?: number;
}

/** Some rules are invalid; `problems` lists every one, so an admin can fix them all at once. */
export class RoleRulesError extends DomainError {
  constructor(readonly problems: RoleRuleProblem[]) {
    const lines = problems.map(
      (problem) => `role_rules[${problem.index}].${problem.field}: ${problem.message}`,
    );
    super(`invalid role rules: ${lines.join('; ')}`, 'invalid_role_rules');
  }
}

/** Parses every rule up front (so configuration is rejected before any login) and returns the evaluator. */
export function compileRoleRules(rules: readonly RoleRule[]): CompiledRoleRules {
  const problems: RoleRuleProblem[] = [];
  const compiled: Array<{ condition: Condition; role: string }> = [];
  rules.forEach((rule, index) => {
    // The rules usually come from YAML or JSON, so the declared types are checked, not trusted.
    const role: unknown = rule.assign_role;
    if (typeof role !== 'string' || role.trim() === '') {
      problems.push({ index, field: 'assign_role', message: 'must be a non-empty role name' });
    }
    const text: unknown = rule.condition;
    if (typeof text !== 'string') {
      problems.push({ index, field: 'condition', message: 'must be a string' });
      return;
    }
    try {
      compiled.push({ condition: parseCondition(text), role: String(role) });
    } catch (error) {
      if (!(error instanceof ConditionSyntaxError)) throw error;
      problems.push({ index, field: 'condition', message: error.message, column: error.column });
    }
  });
  if (problems.length > 0) throw new RoleRulesError(problems);
  return {
    evaluate(attributes) {
      const roles = new Set<string>();
      for (const { condition, role } of compiled) {
        if (evaluateCondition(condition, attributes)) roles.add(role);
      }
      return [...roles];
    },
  };
}
