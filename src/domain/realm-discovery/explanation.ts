import type { NamedDecision } from './routing-loader.js';

/**
 * A routing decision as operators read it (admin API and `gatehouse explain --json`): the outcome
 * with the organization's slug and the connection's key, then every step considered, in order.
 */
export function explanationDocument({ decision, organization, connection }: NamedDecision) {
  return {
    decision: { kind: decision.kind, connection, organization, reason: decision.reason },
    explain: decision.explain.map(({ step, matched, selected, why, rule }) => ({
      step,
      matched,
      ...(selected === undefined ? {} : { selected }),
      why,
      ...(rule
        ? {
            rule: {
              number: rule.number,
              domain: rule.domain,
              connection: rule.connection,
              connection_id: rule.connectionId,
              priority: rule.priority,
            },
          }
        : {}),
    })),
  };
}
export type ExplanationDocument = ReturnType<typeof explanationDocument>;
