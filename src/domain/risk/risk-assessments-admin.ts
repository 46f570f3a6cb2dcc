import { NotFoundError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import { visibleIds, withinScope } from '../organizations/tenancy-scope.js';
import type { Repositories } from '../ports/repositories.js';
import { riskPoliciesOf } from './organization-policies.js';
import { riskExplanation, type RiskExplanation } from './risk-explanation.js';
import { riskThresholdsOf } from './risk-policy.js';

/**
 * Risk assessments for administrators (admin API, CLI). A delegated key sees the assessments of
 * sign-ins to its organizations only; any other, and one for no organization, is not found.
 */
export function createRiskAssessmentsAdmin(db: Repositories) {
  const policiesOf = riskPoliciesOf(db);
  return {
    async explain(principal: AdminPrincipal, id: string): Promise<RiskExplanation> {
      const record = await db.riskAssessments.find(id);
      if (!record || !withinScope(await visibleIds(db, principal), record.organizationId)) {
        throw new NotFoundError(`risk assessment ${id}`);
      }
      const policies = record.organizationId ? await policiesOf(record.organizationId) : {};
      return riskExplanation(record, riskThresholdsOf(policies));
    },
  };
}
export type RiskAssessmentsAdmin = ReturnType<typeof createRiskAssessmentsAdmin>;
