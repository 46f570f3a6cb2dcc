import { z } from 'zod';
import { newId } from '../../lib/ids.js';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../errors.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { DomainRecord, OrganizationRecord } from '../ports/tenancy.js';
import type { AdminPrincipal } from './admin-principal.js';
import { isVerifiedFor } from '../realm-discovery/routing-rules.js';
import { normalizeDomainPattern } from './domain-names.js';
import { checkDnsChallenge, newVerificationToken, type DnsResolver } from './domain-verification.js';
import { recordChange, visibleOrganization } from './tenancy-scope.js';

export const domainCreateSchema = z
  .object({
    domain: z.string().min(3).max(255),
    /** Operator attestation instead of DNS proof; only environment admins may give it. */
    verified: z.boolean().default(false),
  })
  .strict();
export type DomainCreate = z.output<typeof domainCreateSchema>;

export const domainVerifySchema = z.object({ method: z.enum(['dns', 'operator']).default('dns') }).strict();

const parseDomain = (input: string) => {
  const domain = normalizeDomainPattern(input);
  if (!domain)
    throw new RuleViolationError(
      `${input} is not a domain an organization can claim`,
      'invalid_domain',
      'domain',
    );
  return domain;
};

/**
 * Domain claims and their proof. A claim routes sign-ins and allows auto-join only once verified
 * (DNS TXT or operator attestation); at most one organization holds a verified claim on a name.
 */
/**
 * A verified claim that routing rules stand on cannot go silently: those rules would stop routing
 * and sign-ins would fall back unseen. The administrator changes the routing first.
 */
async function assertNoRuleDependsOn(repos: Repositories, organizationId: string, claim: DomainRecord) {
  if (!claim.verifiedAt) return;
  const remaining = (await repos.domains.listFor(organizationId))
    .filter((other) => other.id !== claim.id && other.verifiedAt)
    .map((other) => other.domain);
  const orphaned = (await repos.routingRules.listFor(organizationId)).filter(
    (rule) => !isVerifiedFor(rule.domain, { verifiedDomains: remaining }),
  );
  if (orphaned.length > 0) {
    const rules = orphaned.map((rule) => `#${rule.position + 1} (${rule.domain})`).join(', ');
    throw new ConflictError(
      `routing rules ${rules} route through ${claim.domain}: change the routing first`,
      'domain_in_use',
    );
  }
}

export function createDomainsAdmin(db: Database, dns: DnsResolver, now: () => Date = () => new Date()) {
  const claimOf = async (repos: Repositories, organization: OrganizationRecord, input: string) => {
    const claim = await repos.domains.find(organization.id, normalizeDomainPattern(input) ?? input);
    if (!claim) throw new NotFoundError(`domain ${input}`);
    return claim;
  };
  const assertOperator = (principal: AdminPrincipal) => {
    if (principal.scope.kind !== 'environment') {
      throw new ForbiddenError('only environment admins may mark a domain verified without DNS proof');
    }
  };

  const markVerified = async (
    principal: AdminPrincipal,
    organization: OrganizationRecord,
    before: DomainRecord,
    method: 'dns' | 'operator',
  ) =>
    db.transaction(async (repos) => {
      const after = await repos.domains.update(before.id, {
        verifiedAt: now(),
        verificationMethod: method,
        lastCheckedAt: now(),
      });
      await recordChange(repos, principal.actor, {
        organizationId: organization.id,
        action: 'domain.verify',
        targetType: 'domain',
        targetId: before.id,
        before,
        after,
      });
      return after;
    });

  return {
    async list(principal: AdminPrincipal, orgRef: string): Promise<DomainRecord[]> {
      return db.domains.listFor((await visibleOrganization(db, principal, orgRef)).id);
    },

    async get(principal: AdminPrincipal, orgRef: string, domain: string): Promise<DomainRecord> {
      return claimOf(db, await visibleOrganization(db, principal, orgRef), domain);
    },

    add(principal: AdminPrincipal, orgRef: string, input: DomainCreate): Promise<DomainRecord> {
      if (input.verified) assertOperator(principal);
      const domain = parseDomain(input.domain);
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const holder = await repos.domains.findVerified(domain);
        if (holder && holder.organizationId !== organization.id) {
          throw new ConflictError(`${domain} is already verified by another organization`, 'domain_taken');
        }
        const at = now();
        const claim = await repos.domains.create({
          id: newId('dom'),
          organizationId: organization.id,
          domain,
          verificationToken: newVerificationToken(),
          verifiedAt: input.verified ? at : null,
          verificationMethod: input.verified ? 'operator' : null,
          lastCheckedAt: null,
          managedBy: null,
        });
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'domain.create',
          targetType: 'domain',
          targetId: claim.id,
          before: null,
          after: claim,
        });
        return claim;
      });
    },

    /**
     * Checks the DNS record now (or takes an operator's word). A failed check is remembered
     * (last_checked_at) and reported as a rule violation naming what was looked for.
     */
    async verify(principal: AdminPrincipal, orgRef: string, domain: string, method: 'dns' | 'operator') {
      if (method === 'operator') assertOperator(principal);
      const organization = await visibleOrganization(db, principal, orgRef);
      const before = await claimOf(db, organization, domain);
      if (before.verifiedAt) return before;
      if (method === 'dns') {
        const outcome = await checkDnsChallenge(dns, before.domain, before.verificationToken);
        if (!outcome.verified) {
          await db.domains.update(before.id, { lastCheckedAt: now() });
          throw new RuleViolationError(outcome.detail, 'verification_failed', 'domain');
        }
      }
      return markVerified(principal, organization, before, method);
    },

    remove(principal: AdminPrincipal, orgRef: string, domain: string): Promise<void> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await claimOf(repos, organization, domain);
        await assertNoRuleDependsOn(repos, organization.id, before);
        await repos.domains.delete(before.id);
        await recordChange(repos, principal.actor, {
          organizationId: organization.id,
          action: 'domain.delete',
          targetType: 'domain',
          targetId: before.id,
          before,
          after: null,
        });
      });
    },
  };
}
export type DomainsAdmin = ReturnType<typeof createDomainsAdmin>;
