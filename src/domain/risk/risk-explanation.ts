import type { RiskAssessmentRecord } from '../ports/risk.js';
import type { RiskThresholds } from './risk-score.js';

/**
 * What `gatehouse explain-login` and `GET /admin/v1/risk-assessments/{id}` show: the decision,
 * its score against the organization's thresholds, and each signal with its points and why.
 * The thresholds are the organization's policy as it stands now (an assessment keeps its score
 * and decision, not the policy it was decided under).
 */
export function riskExplanation(record: RiskAssessmentRecord, thresholds: RiskThresholds) {
  return {
    id: record.id,
    decision: record.decision,
    score: record.score,
    thresholds,
    signals: record.signals.map(({ name, points, detail }) => ({ name, points, detail })),
    outcome: record.outcome,
    organization_id: record.organizationId,
    user_id: record.userId,
    ip: record.ip,
    country: record.country,
    created_at: record.createdAt.toISOString(),
  };
}
export type RiskExplanation = ReturnType<typeof riskExplanation>;
