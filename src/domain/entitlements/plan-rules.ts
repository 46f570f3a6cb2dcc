import { ForbiddenError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';

/**
 * A plan is the contract's: only an operator sets it (a delegated admin must not raise its own
 * quotas), and only on a top-level organization (sub-organizations share their root's).
 */
export function assertPlanSettable(principal: AdminPrincipal, parentId: string | null): void {
  if (principal.scope.kind !== 'environment')
    throw new ForbiddenError(
      'only an operator (an environment API key or the CLI) may set an organization plan',
    );
  if (parentId !== null)
    throw new RuleViolationError(
      'a plan belongs on the top-level organization: sub-organizations share their root organization’s plan',
      'plan_on_sub_organization',
      'plan',
    );
}
