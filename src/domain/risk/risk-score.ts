import type { RiskDecision, RiskSignal } from '../ports/risk.js';

/** Where the score starts asking for a second factor, and where it refuses (security policy `risk`). */
export interface RiskThresholds {
  mfa_at: number;
  deny_at: number;
}

/**
 * Defaults: one unfamiliar thing (a new browser, or a new network) is ordinary; a new browser on
 * a new network (50), or travel no one could make (60), asks for a second factor; only the sum
 * of several, or a rule (known-bad address, allowlist, geo-fence), refuses.
 */
export const DEFAULT_RISK_THRESHOLDS: RiskThresholds = { mfa_at: 50, deny_at: 90 };

/** Signals that refuse whatever the thresholds: an organization's rules and the deployment's list. */
export const BLOCKING_SIGNALS: ReadonlySet<string> = new Set([
  'known_bad_ip',
  'outside_allowlist',
  'outside_allowed_countries',
]);

export const riskScore = (signals: readonly RiskSignal[]) =>
  signals.reduce((sum, signal) => sum + signal.points, 0);

/** The decision for a score under the organization's thresholds; a blocking signal always denies. */
export function riskDecision(
  signals: readonly RiskSignal[],
  thresholds: RiskThresholds,
): { score: number; decision: RiskDecision } {
  const score = riskScore(signals);
  if (signals.some((signal) => BLOCKING_SIGNALS.has(signal.name)) || score >= thresholds.deny_at) {
    return { score, decision: 'deny' };
  }
  return { score, decision: score >= thresholds.mfa_at ? 'mfa' : 'allow' };
}
