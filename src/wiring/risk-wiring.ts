import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { SignInThrottle } from '../domain/accounts/sign-in-throttle.js';
import type { Database } from '../domain/ports/repositories.js';
import type { GeoLookup } from '../domain/ports/risk.js';
import { createNetworkPolicy } from '../domain/risk/network-policy.js';
import { riskPoliciesOf } from '../domain/risk/organization-policies.js';
import { createRiskAssessmentsAdmin } from '../domain/risk/risk-assessments-admin.js';
import { createRiskAssessor } from '../domain/risk/risk-assessor.js';

/**
 * Part of the composition root: risk-based sign-in (domain/risk) and the organizations' network
 * rules, over the offline GeoIP lookup the container chose.
 */
export function wireRisk(deps: {
  env: Pick<Env, 'RISK_KNOWN_BAD_IPS'>;
  db: Database;
  geo: GeoLookup;
  throttle: Pick<SignInThrottle, 'failures'>;
  now: () => Date;
  logger: Logger;
}) {
  const policiesOf = riskPoliciesOf(deps.db);
  const outcome = (outcome: 'succeeded' | 'failed') => (id: string) =>
    deps.db.riskAssessments.setOutcome(id, outcome);
  return {
    assess: createRiskAssessor({
      db: deps.db,
      geo: deps.geo,
      throttle: deps.throttle,
      policiesOf,
      knownBadNetworks: deps.env.RISK_KNOWN_BAD_IPS,
      now: deps.now,
    }),
    /** ip_allowlist and allowed_countries for one organization and address (sign-ins and token issue). */
    networkPolicy: createNetworkPolicy({ policiesOf, geo: deps.geo }),
    markSucceeded: outcome('succeeded'),
    markFailed: outcome('failed'),
    onOutcomeError: (error: unknown) =>
      deps.logger.error({ err: error }, 'risk assessment outcome not recorded'),
    admin: createRiskAssessmentsAdmin(deps.db),
  };
}
export type RiskServices = ReturnType<typeof wireRisk>;
