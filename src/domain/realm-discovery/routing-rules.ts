import { isWildcard, normalizeDomainPattern, patternCovers } from '../organizations/domain-names.js';

export interface RoutingRule {
  /** An exact (`example.com`) or wildcard (`*.corp.example.com`) domain pattern. */
  domain: string;
  /** A connection id. */
  connection: string;
  /** Lower number = higher priority. */
  priority: number;
}

export interface RoutingOrganization {
  id: string;
  slug: string;
  status: 'active' | 'suspended';
  /** Normalized patterns (see normalizeDomainPattern); only verified claims ever route. */
  verifiedDomains: string[];
  rules: RoutingRule[];
  fallbackConnection?: string;
  allowLocalPasswords: boolean;
  ssoRequired: boolean;
}

export interface RoutingConnection {
  id: string;
  organizationId: string;
  enabled: boolean;
  /** The organization's name for it (`azure`): explanations read better with it than with the id. */
  key?: string;
}

export interface RoutingInput {
  organizations: RoutingOrganization[];
  connections: RoutingConnection[];
  /**
   * Organizations whose members the hinted organization admits as partners (a federation trust
   * rule names them as source, it as target): their users sign in at their own IdP.
   */
  partnerSources?: readonly string[];
}

export interface ExplainLine {
  step: 'input' | 'hint' | 'organization' | 'rule' | 'fallback' | 'outcome';
  /**
   * For `rule` lines: the rule as declared, numbered from 1 in declaration order; `connection` is
   * the connection's key when known, else its id.
   */
  rule?: { number: number; domain: string; connection: string; connectionId: string; priority: number };
  /** For `rule` lines: whether the rule covers the domain and could route; true on other lines that passed. */
  matched: boolean;
  /** For `rule` lines: whether this rule was chosen. */
  selected?: boolean;
  why: string;
}

/** How explanations name a connection: its key when the input knows it, else its id. */
export function connectionName(connectionId: string, input: RoutingInput): string {
  return input.connections.find((candidate) => candidate.id === connectionId)?.key ?? connectionId;
}

/** Why a connection cannot route for `organization`, or undefined when it can. */
export function connectionProblem(
  connectionId: string,
  organization: RoutingOrganization,
  input: RoutingInput,
): string | undefined {
  const connection = input.connections.find((candidate) => candidate.id === connectionId);
  if (!connection) return `connection ${connectionId} does not exist`;
  const name = connection.key ?? connectionId;
  if (connection.organizationId !== organization.id) {
    return `connection ${name} does not belong to ${organization.slug}`;
  }
  if (!connection.enabled) return `connection ${name} is disabled`;
  return undefined;
}

/** Whether the organization verified `pattern` itself, or a wildcard covering every name it stands for. */
export function isVerifiedFor(
  pattern: string,
  organization: Pick<RoutingOrganization, 'verifiedDomains'>,
): boolean {
  const verified = organization.verifiedDomains.map((claim) => normalizeDomainPattern(claim) ?? '');
  if (verified.includes(pattern)) return true;
  const base = isWildcard(pattern) ? pattern.slice(2) : pattern;
  return verified.some((claim) => isWildcard(claim) && patternCovers(claim, base));
}

/** Exact patterns outrank any wildcard; among wildcards, more labels = more specific. */
const specificity = (pattern: string) =>
  isWildcard(pattern) ? pattern.split('.').length - 1 : Number.POSITIVE_INFINITY;

interface Candidate {
  index: number;
  pattern: string;
  rule: RoutingRule;
}

/**
 * Evaluates an organization's rules against an email domain (undefined when none is known yet).
 * Every rule gets one explain line, in declaration order. Among the rules that cover the domain
 * and can route, the winner is decided by:
 *   1. priority (lower number first),
 *   2. then specificity (exact > longer wildcard > shorter wildcard),
 *   3. then declaration order (the rule written first wins).
 * Priority comes first on purpose: an administrator can send a whole subtree to one IdP ahead of
 * an exact rule by giving the wildcard a better priority.
 */
export function selectRule(
  organization: RoutingOrganization,
  domain: string | undefined,
  input: RoutingInput,
): { winner?: RoutingRule; lines: ExplainLine[] } {
  const lines: ExplainLine[] = [];
  const candidates: Candidate[] = [];
  organization.rules.forEach((rule, index) => {
    const line: ExplainLine = {
      step: 'rule',
      rule: {
        number: index + 1,
        domain: rule.domain,
        connection: connectionName(rule.connection, input),
        connectionId: rule.connection,
        priority: rule.priority,
      },
      matched: false,
      why: '',
    };
    lines.push(line);
    const pattern = normalizeDomainPattern(rule.domain);
    const problem = connectionProblem(rule.connection, organization, input);
    if (!pattern) line.why = `rule skipped: ${rule.domain} is not a valid domain pattern`;
    else if (!isVerifiedFor(pattern, organization)) {
      line.why = `rule skipped: ${pattern} is not a verified domain of ${organization.slug}`;
    } else if (!domain) line.why = 'rule skipped: no email domain to match yet';
    else if (!patternCovers(pattern, domain)) line.why = `domain ${pattern} does not cover ${domain}`;
    else if (problem) line.why = `domain ${pattern} covers ${domain}, but ${problem}`;
    else {
      line.matched = true;
      line.why = `domain ${pattern} covers ${domain}`;
      candidates.push({ index, pattern, rule });
    }
  });

  const ranked = [...candidates].sort(
    (a, b) =>
      a.rule.priority - b.rule.priority ||
      specificity(b.pattern) - specificity(a.pattern) ||
      a.index - b.index,
  );
  const [first] = ranked;
  if (!first) return { lines };
  const winnerLine = lines[first.index]!;
  winnerLine.selected = true;
  const tieReasons = new Set<string>();
  for (const other of ranked.slice(1)) {
    const line = lines[other.index]!;
    line.selected = false;
    const versus = `rule #${first.index + 1}`;
    if (other.rule.priority !== first.rule.priority) {
      line.why += `; lower priority than ${versus}`;
    } else if (specificity(other.pattern) !== specificity(first.pattern)) {
      line.why += `; tie on priority ${other.rule.priority} with ${versus}, which is more specific`;
      tieReasons.add('specificity');
    } else {
      line.why += `; tie on priority ${other.rule.priority} with ${versus}, broken by rule order`;
      tieReasons.add('rule order');
    }
  }
  winnerLine.why += tieReasons.size
    ? `; selected: tie on priority ${first.rule.priority} broken by ${[...tieReasons].join(' and ')}`
    : '; selected';
  return { winner: first.rule, lines };
}
