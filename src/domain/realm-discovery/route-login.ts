import { emailDomain, looksLikeEmail, normalizeEmail } from '../../lib/email.js';
import { coveringPatterns, isWildcard, normalizeDomainPattern } from '../organizations/domain-names.js';
import {
  connectionName,
  connectionProblem,
  selectRule,
  type ExplainLine,
  type RoutingInput,
  type RoutingOrganization,
} from './routing-rules.js';

export type {
  ExplainLine,
  RoutingConnection,
  RoutingInput,
  RoutingOrganization,
  RoutingRule,
} from './routing-rules.js';

export interface LoginHints {
  /** An organization id or slug: routing is restricted to it and its fallback applies. */
  organization?: string;
  /** A connection id to use directly, if it may sign in this user. */
  connection?: string;
  /** Used as the email when none was typed. */
  loginHint?: string;
  /** Used as the domain when no email is known. */
  domainHint?: string;
}

type Outcome =
  | { kind: 'connection'; connectionId: string; organizationId: string; reason: string }
  | { kind: 'local'; reason: string }
  | { kind: 'refused'; reason: string };

export type RoutingDecision = Outcome & { explain: ExplainLine[] };

/** The organization holding the most specific verified claim covering `domain` (suspended ones included). */
function claimant(
  domain: string,
  input: RoutingInput,
): { organization: RoutingOrganization; pattern: string } | { ambiguous: string } | undefined {
  for (const pattern of coveringPatterns(domain)) {
    const holders = input.organizations.filter((organization) =>
      organization.verifiedDomains.some((claim) => normalizeDomainPattern(claim) === pattern),
    );
    const [only] = holders;
    if (holders.length > 1) return { ambiguous: pattern };
    if (only) return { organization: only, pattern };
  }
  return undefined;
}

/** What names the domain: the typed email, else login_hint as the email, else domain_hint. */
type DomainSource = { from: 'email' | 'login_hint' | 'domain_hint'; text: string };

function domainSource(email: string | undefined, hints: LoginHints): DomainSource | undefined {
  if (email?.trim()) return { from: 'email', text: email };
  if (hints.loginHint?.trim()) return { from: 'login_hint', text: hints.loginHint };
  if (hints.domainHint) return { from: 'domain_hint', text: hints.domainHint };
  return undefined;
}

/** The normalized (punycode) domain of a source, or undefined when it names none. */
function domainOf(source: DomainSource): string | undefined {
  if (source.from === 'domain_hint') {
    const domain = normalizeDomainPattern(source.text);
    return domain && !isWildcard(domain) ? domain : undefined;
  }
  const normalized = normalizeEmail(source.text);
  const domain = looksLikeEmail(normalized) ? normalizeDomainPattern(emailDomain(normalized)) : undefined;
  return domain && !isWildcard(domain) ? domain : undefined;
}

/**
 * The domain routing will look at for this email and hints, as routeLogin reads them: loaders use
 * it to fetch only the organizations that could claim it. Undefined when none (or an invalid one).
 */
export function routingDomain(email: string | undefined, hints: LoginHints): string | undefined {
  const source = domainSource(email, hints);
  return source && domainOf(source);
}

/** Resolves the email (typed, else login_hint) or domain_hint to a normalized domain. */
function targetDomain(
  email: string | undefined,
  hints: LoginHints,
  note: (step: ExplainLine['step'], matched: boolean, why: string) => void,
): { domain?: string; invalid?: string } {
  const source = domainSource(email, hints);
  if (!source) {
    note('input', false, 'no email or domain known yet');
    return {};
  }
  const domain = domainOf(source);
  if (source.from === 'domain_hint') {
    if (!domain) return { invalid: `${source.text} is not a valid domain_hint` };
    note('hint', true, `domain_hint used as the domain: ${domain}`);
    return { domain };
  }
  if (!domain) return { invalid: `${normalizeEmail(source.text)} is not a valid email address` };
  const typed = source.from === 'email';
  note(
    typed ? 'input' : 'hint',
    true,
    `${typed ? 'email' : 'login_hint used as the email'}: domain ${domain}`,
  );
  if (hints.domainHint) note('hint', false, 'domain_hint ignored: an email is known');
  return { domain };
}

/**
 * Home realm discovery: which upstream connection signs this user in. Pure; the caller loads
 * organizations and connections. A connection only ever routes for the organization holding the
 * most specific verified claim on the email's domain, so neither rules nor hints can let an IdP
 * of one organization sign in users of another. Suspended organizations and disabled
 * connections never route.
 */
export function routeLogin(
  email: string | undefined,
  hints: LoginHints,
  input: RoutingInput,
): RoutingDecision {
  const explain: ExplainLine[] = [];
  const note = (step: ExplainLine['step'], matched: boolean, why: string) => {
    explain.push({ step, matched, why });
  };
  const decide = (outcome: Outcome): RoutingDecision => {
    note('outcome', outcome.kind !== 'refused', outcome.reason);
    return { ...outcome, explain };
  };
  const refuse = (reason: string) => decide({ kind: 'refused', reason });

  const { domain, invalid } = targetDomain(email, hints, note);
  if (invalid) return refuse(invalid);
  const claim = domain ? claimant(domain, input) : undefined;
  if (claim && 'ambiguous' in claim) return refuse(`${claim.ambiguous} is verified by several organizations`);
  const owner = claim?.organization;
  if (owner && domain)
    note('organization', true, `${owner.slug} verified ${claim.pattern}, covering ${domain}`);

  let hinted: RoutingOrganization | undefined;
  if (hints.organization) {
    const key = hints.organization;
    hinted =
      input.organizations.find((organization) => organization.id === key) ??
      input.organizations.find((organization) => organization.slug === key);
    if (!hinted) return refuse(`organization hint ${key} names no organization`);
    if (hinted.status !== 'active') return refuse(`organization ${hinted.slug} is suspended`);
    if (owner && owner.id !== hinted.id && input.partnerSources?.includes(owner.id)) {
      // A partner signs in where they are a member; whether the trust rule admits them now
      // (window, network, MFA, freeze) is decided at the organization step, as for any partner.
      note('hint', true, `${hinted.slug} admits members of ${owner.slug} through a federation`);
      hinted = undefined;
    } else if (owner && owner.id !== hinted.id) {
      return refuse(`${domain} is verified by ${owner.slug}, not by the hinted organization ${hinted.slug}`);
    } else {
      note('hint', true, `organization hint: routing restricted to ${hinted.slug}`);
    }
  }

  if (hints.connection) {
    const id = hints.connection;
    const connection = input.connections.find((candidate) => candidate.id === id);
    if (!connection) return refuse(`connection hint ${id} names no connection`);
    const organization = input.organizations.find((candidate) => candidate.id === connection.organizationId);
    const name = connection.key ?? id;
    if (!organization || organization.status !== 'active') {
      return refuse(`connection ${name} belongs to no active organization`);
    }
    const problem = connectionProblem(id, organization, input);
    if (problem) return refuse(problem);
    if (hinted && hinted.id !== organization.id) {
      return refuse(`connection ${name} belongs to ${organization.slug}, not to the hinted organization`);
    }
    if (domain && owner?.id !== organization.id) {
      return refuse(
        `connection ${name} of ${organization.slug} cannot sign in users of ${domain}: not its verified domain`,
      );
    }
    return decide({
      kind: 'connection',
      connectionId: id,
      organizationId: organization.id,
      reason: `connection hint ${name} of ${organization.slug}`,
    });
  }

  const organization = hinted ?? owner;
  if (!organization) {
    return decide({
      kind: 'local',
      reason: domain
        ? `no organization has verified ${domain}`
        : 'no email or domain yet to discover a realm',
    });
  }
  if (organization.status !== 'active') return refuse(`organization ${organization.slug} is suspended`);

  const { winner, lines } = selectRule(organization, domain, input);
  explain.push(...lines);
  if (winner) {
    return decide({
      kind: 'connection',
      connectionId: winner.connection,
      organizationId: organization.id,
      reason: `rule #${organization.rules.indexOf(winner) + 1} of ${organization.slug} routes ${domain} to ${connectionName(winner.connection, input)}`,
    });
  }
  const fallback = organization.fallbackConnection;
  if (fallback) {
    const problem = connectionProblem(fallback, organization, input);
    if (!problem) {
      return decide({
        kind: 'connection',
        connectionId: fallback,
        organizationId: organization.id,
        reason: `no rule matched; fallback connection ${connectionName(fallback, input)} of ${organization.slug}`,
      });
    }
    note('fallback', false, `fallback unusable: ${problem}`);
  }
  if (organization.allowLocalPasswords && !organization.ssoRequired) {
    return decide({
      kind: 'local',
      reason: `no usable connection; ${organization.slug} allows local passwords`,
    });
  }
  return refuse(
    `${organization.slug} ${organization.ssoRequired ? 'requires SSO' : 'does not allow local passwords'} but has no usable connection`,
  );
}
