import { newId } from '../../lib/ids.js';
import { accountSubjectsOf, addressSubject, type SignInThrottle } from '../accounts/sign-in-throttle.js';
import { memberOrganizationIds } from '../mfa/factor-audit.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { GeoLookup, NewRiskAssessment, RiskAssessmentRecord } from '../ports/risk.js';
import { riskDecision, type RiskThresholds } from './risk-score.js';
import { networkPolicyOf, riskThresholdsOf, type RiskPolicyValues } from './risk-policy.js';
import { riskSignals } from './risk-signals.js';

/** How many of the user's earlier assessments the signals compare with. */
export const HISTORY_WINDOW = 50;

export interface RiskAssessorDeps {
  db: Database;
  geo: GeoLookup;
  throttle: Pick<SignInThrottle, 'failures'>;
  /** The organization's effective security policies (inherited down the tree). */
  policiesOf(organizationId: string): Promise<RiskPolicyValues>;
  knownBadNetworks: readonly string[];
  now: () => Date;
}

/** One sign-in as the first factor left it. */
export interface SignInToAssess {
  user: { id: string; email: string };
  /** The organization known so far; null or undefined when none is (default thresholds, no rules). */
  organizationId: string | null | undefined;
  ip: string;
  /** SHA-256 of the device cookie, the one the browser brought or the one it was just given. */
  deviceHash: string;
  /** The browser brought no device cookie and was given one now. */
  deviceCookieIssued: boolean;
}

export interface Assessment {
  record: RiskAssessmentRecord;
  thresholds: RiskThresholds;
}

/** The assessment and its audit record, for the sign-in's organization (or each of the user's). */
async function keepAssessment(repos: Repositories, assessment: NewRiskAssessment) {
  const created = await repos.riskAssessments.create(assessment);
  const userId = assessment.userId!;
  const organizations = assessment.organizationId
    ? [assessment.organizationId]
    : await memberOrganizationIds(repos, userId);
  for (const organizationId of organizations.length > 0 ? organizations : [null]) {
    await repos.audit.append({
      organizationId,
      actor: { type: 'system', id: 'risk' },
      action: 'login.risk_assessed',
      targetType: 'user',
      targetId: userId,
      before: null,
      after: {
        assessment_id: created.id,
        decision: created.decision,
        score: created.score,
        signals: created.signals.map((signal) => signal.name),
        ip: created.ip,
      },
    });
  }
  return created;
}

/**
 * Scores a sign-in from its signals, decides under the organization's thresholds, and keeps the
 * assessment (the explanation, and the history later ones compare with) with its audit record
 * `login.risk_assessed` in one transaction.
 */
export function createRiskAssessor(deps: RiskAssessorDeps) {
  const failuresOf = async (sign: SignInToAssess) => {
    const [byEmail = 0, byUser = 0, address = 0] = await deps.throttle.failures([
      ...accountSubjectsOf(sign.user),
      addressSubject(sign.ip),
    ]);
    return { account: Math.max(byEmail, byUser), address };
  };

  return async (sign: SignInToAssess): Promise<Assessment> => {
    const now = deps.now();
    const organizationId = sign.organizationId ?? null;
    const [history, failures, policies] = await Promise.all([
      deps.db.riskAssessments.recentForUser(sign.user.id, HISTORY_WINDOW),
      failuresOf(sign),
      organizationId ? deps.policiesOf(organizationId) : Promise.resolve({}),
    ]);
    const location = deps.geo(sign.ip);
    const signals = riskSignals({
      now,
      ip: sign.ip,
      deviceHash: sign.deviceHash,
      deviceCookieIssued: sign.deviceCookieIssued,
      location,
      history,
      failures,
      knownBadNetworks: deps.knownBadNetworks,
      network: networkPolicyOf(policies),
    });
    const thresholds = riskThresholdsOf(policies);
    const { score, decision } = riskDecision(signals, thresholds);
    const record = await deps.db.transaction((repos) =>
      keepAssessment(repos, {
        id: newId('rsk'),
        organizationId,
        userId: sign.user.id,
        ip: sign.ip,
        country: location?.country ?? null,
        latitude: location?.latitude ?? null,
        longitude: location?.longitude ?? null,
        deviceHash: sign.deviceHash,
        score,
        decision,
        signals,
        createdAt: now,
      }),
    );
    return { record, thresholds };
  };
}
export type RiskAssessor = ReturnType<typeof createRiskAssessor>;
