import { newId } from '../../lib/ids.js';
import { accountSubjectsOf, addressSubject, type SignInThrottle } from '../accounts/sign-in-throttle.js';
import type { Database } from '../ports/repositories.js';
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

/**
 * The assessment, then its audit record for the sign-in's organization (or each of the user's):
 * two round trips, the record going with the other sign-ins' through the batched appender. Not
 * one transaction: a failure between them leaves an assessment without its record, and the
 * sign-in fails.
 */
async function keepAssessment(db: Database, assessment: NewRiskAssessment) {
  const { record, memberOf } = await db.riskAssessments.createListingMemberships(assessment);
  const organizations = assessment.organizationId ? [assessment.organizationId] : memberOf;
  await db.audit.appendMany(
    (organizations.length > 0 ? organizations : [null]).map((organizationId) => ({
      organizationId,
      actor: { type: 'system' as const, id: 'risk' },
      action: 'login.risk_assessed',
      targetType: 'user',
      targetId: record.userId!,
      before: null,
      after: {
        assessment_id: record.id,
        decision: record.decision,
        score: record.score,
        signals: record.signals.map((signal) => signal.name),
        ip: record.ip,
      },
    })),
  );
  return record;
}

/**
 * Scores a sign-in from its signals, decides under the organization's thresholds, and keeps the
 * assessment (the explanation, and the history later ones compare with) with its audit record
 * `login.risk_assessed`.
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
    const record = await keepAssessment(deps.db, {
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
    });
    return { record, thresholds };
  };
}
export type RiskAssessor = ReturnType<typeof createRiskAssessor>;
