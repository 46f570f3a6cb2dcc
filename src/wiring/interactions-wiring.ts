import type { SignInAudit } from '../domain/audit/sign-in-audit.js';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import { withSignInAudit } from '../oidc/audited-interactions.js';
import { createInteractions, type Interactions } from '../oidc/interactions.js';
import { withMonthlyActiveUsers } from '../oidc/monthly-active-interactions.js';
import type { OidcProvider } from '../oidc/provider-factory.js';
import { withRiskOutcome } from '../oidc/risk-outcome.js';
import type { SessionServices } from '../oidc/session-services.js';
import { withSessionAdmission } from '../oidc/session-sign-in.js';
import type { RiskServices } from './risk-wiring.js';

/**
 * The interactions every sign-in finishes through, and what finishing one does besides: the
 * session's admission under its limits, the monthly active user, the risk assessment's outcome
 * and the `login.succeeded` audit record (outermost first).
 */
export function wireInteractions(deps: {
  provider: () => OidcProvider;
  tenancy: OrganizationAccess;
  signInAudit: SignInAudit;
  risk: Pick<RiskServices, 'markSucceeded' | 'onOutcomeError'>;
  recordSignIn: (organizationId: string, userId: string) => Promise<void>;
  admission: SessionServices['admission'];
}): Interactions {
  const audited = withSignInAudit(
    createInteractions(deps.provider, deps.tenancy),
    deps.signInAudit.succeeded,
  );
  const assessed = withRiskOutcome(audited, deps.risk.markSucceeded, deps.risk.onOutcomeError);
  return withSessionAdmission(
    withMonthlyActiveUsers(assessed, deps.recordSignIn),
    deps.provider,
    deps.admission,
  );
}
