import { DomainError } from '../errors.js';
import type { ConnectionRecord } from '../ports/connections.js';
import type { NewRoutingRule, RoutingRuleRecord } from '../ports/federation.js';
import { isVerifiedFor } from '../realm-discovery/routing-rules.js';
import { normalizeDomainPattern } from './domain-names.js';
import type { RoutingSettings } from './routing-input.js';

/** One bad entry of a routing write: `index` (0-based) for a rule, none for the fallback. */
export interface RoutingProblem {
  index?: number;
  field: 'domain' | 'connection' | 'fallback_connection';
  message: string;
}

/** Some of the settings are invalid; `problems` lists every one, so an admin fixes them at once. */
export class RoutingRulesError extends DomainError {
  constructor(readonly problems: RoutingProblem[]) {
    const lines = problems.map(
      ({ index, field, message }) =>
        `${index === undefined ? field : `rules[${index}].${field}`}: ${message}`,
    );
    super(`invalid routing: ${lines.join('; ')}`, 'invalid_routing_rules');
  }
}

/** Rules and fallback as stored: normalized patterns and connection ids, in declaration order. */
export interface ResolvedRouting {
  rules: NewRoutingRule[];
  fallbackConnectionId: string | null;
}

type Named = Pick<ConnectionRecord, 'id' | 'key'>;

/**
 * Checks the settings against the organization as it is: each rule's domain must be a valid pattern
 * the organization verified (or one under a wildcard it verified), and every connection one of
 * its own. A rule on a domain it has not verified would never route, and one on a domain another
 * organization verified would be an attempt to capture that organization's users.
 */
export function validateRouting(
  settings: RoutingSettings,
  verifiedDomains: readonly string[],
  connections: readonly Named[],
): ResolvedRouting {
  const problems: RoutingProblem[] = [];
  const idOf = (key: string) => connections.find((connection) => connection.key === key)?.id;
  const unknown = (key: string) => `${key} is not a connection of this organization`;
  const rules: NewRoutingRule[] = [];
  settings.rules.forEach((rule, index) => {
    const domain = normalizeDomainPattern(rule.domain);
    if (!domain) {
      problems.push({ index, field: 'domain', message: `${rule.domain} is not a valid domain pattern` });
    } else if (!isVerifiedFor(domain, { verifiedDomains: [...verifiedDomains] })) {
      problems.push({
        index,
        field: 'domain',
        message: `${domain} is not a domain this organization has verified (nor one under a wildcard it verified)`,
      });
    }
    const connectionId = idOf(rule.connection);
    if (!connectionId) problems.push({ index, field: 'connection', message: unknown(rule.connection) });
    if (domain && connectionId) rules.push({ domain, connectionId, priority: rule.priority });
  });
  const fallback = settings.fallback_connection;
  const fallbackConnectionId = fallback === null ? null : idOf(fallback);
  if (fallback !== null && !fallbackConnectionId) {
    problems.push({ field: 'fallback_connection', message: unknown(fallback) });
  }
  if (problems.length > 0) throw new RoutingRulesError(problems);
  return { rules, fallbackConnectionId: fallbackConnectionId ?? null };
}

/** The stored rules and fallback as admins write them: connections by key. */
export function routingView(
  rules: readonly RoutingRuleRecord[],
  fallbackConnectionId: string | null,
  connections: readonly Named[],
): RoutingSettings {
  const keyOf = (id: string) => connections.find((connection) => connection.id === id)?.key ?? id;
  return {
    rules: rules.map((rule) => ({
      domain: rule.domain,
      connection: keyOf(rule.connectionId),
      priority: rule.priority,
    })),
    fallback_connection: fallbackConnectionId === null ? null : keyOf(fallbackConnectionId),
  };
}
