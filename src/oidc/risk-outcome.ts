import type { Interactions } from './interactions.js';

/**
 * A sign-in that reaches finishLogin succeeded: its risk assessment says so, which makes its
 * device and network familiar to later assessments (domain/risk). Best effort: a failed write
 * must not fail the sign-in it describes.
 */
export function withRiskOutcome(
  interactions: Interactions,
  markSucceeded: (assessmentId: string) => Promise<void>,
  onError: (error: unknown) => void,
): Interactions {
  return {
    ...interactions,
    async finishLogin(req, res, accountId, method, organization) {
      // Alongside the rest of the login: nothing after waits for it, and it never fails the login.
      await Promise.all([
        method.riskAssessmentId ? markSucceeded(method.riskAssessmentId).catch(onError) : undefined,
        interactions.finishLogin(req, res, accountId, method, organization),
      ]);
    },
  };
}
