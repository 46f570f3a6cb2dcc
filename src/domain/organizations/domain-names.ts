import { domainToASCII } from 'node:url';

/**
 * Email domains an organization claims: exact (`example.com`) or wildcard (`*.corp.example.com`,
 * which covers every name below corp.example.com at any depth, but not corp.example.com itself
 * and not look-alikes such as evilcorp.example.com).
 */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Lower-case ASCII (punycode) form, or undefined when `input` is not a claimable domain. */
export function normalizeDomainPattern(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase().replace(/\.$/, '');
  const wildcard = trimmed.startsWith('*.');
  const base = domainToASCII(wildcard ? trimmed.slice(2) : trimmed);
  if (!base || base.length > 253) return undefined;
  const labels = base.split('.');
  // At least a registrable-looking name: claiming a bare TLD (`*.com`, `com`) is never allowed.
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1]!)) return undefined;
  return wildcard ? `*.${base}` : base;
}

export const isWildcard = (pattern: string) => pattern.startsWith('*.');

/** The name whose TXT record proves control: the base name for wildcards. */
export const challengeName = (pattern: string) =>
  `_gatehouse-challenge.${isWildcard(pattern) ? pattern.slice(2) : pattern}`;

/**
 * Every claim that could cover an email domain, most specific first: the domain itself, then
 * `*.parent` for each parent that still has two labels (`a.b.example.com` ->
 * `a.b.example.com`, `*.b.example.com`, `*.example.com`).
 */
export function coveringPatterns(emailDomain: string): string[] {
  const domain = normalizeDomainPattern(emailDomain);
  if (!domain || isWildcard(domain)) return [];
  const labels = domain.split('.');
  const patterns = [domain];
  for (let start = 1; labels.length - start >= 2; start += 1) {
    patterns.push(`*.${labels.slice(start).join('.')}`);
  }
  return patterns;
}

/** Whether a claim (exact or wildcard) covers an email domain. */
export function patternCovers(pattern: string, emailDomain: string): boolean {
  return coveringPatterns(emailDomain).includes(pattern);
}
