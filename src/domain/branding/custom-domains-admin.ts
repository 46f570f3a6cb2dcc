import { z } from 'zod';
import { newId } from '../../lib/ids.js';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../errors.js';
import type { AdminPrincipal } from '../organizations/admin-principal.js';
import {
  checkDnsChallenge,
  newVerificationToken,
  type DnsResolver,
} from '../organizations/domain-verification.js';
import { recordChange, visibleOrganization } from '../organizations/tenancy-scope.js';
import type { CustomDomainRecord } from '../ports/custom-domains.js';
import type { Database, Repositories } from '../ports/repositories.js';
import type { OrganizationRecord } from '../ports/tenancy.js';
import { normalizeCustomHost } from './custom-hosts.js';

const HOST_MESSAGE = 'a host name such as login.customer.example (no scheme, port, path or wildcard)';

export const customDomainCreateSchema = z
  .object({
    host: z
      .string()
      .min(3)
      .max(253)
      .refine((host) => normalizeCustomHost(host) !== undefined, HOST_MESSAGE),
    /** Operator attestation instead of DNS proof; only environment admins may give it. */
    verified: z.boolean().default(false),
  })
  .strict();
export type CustomDomainCreate = z.output<typeof customDomainCreateSchema>;

export const customDomainVerifySchema = z
  .object({ method: z.enum(['dns', 'operator']).default('dns') })
  .strict();

export interface CustomDomainsAdminDeps {
  dns: DnsResolver;
  now?: () => Date;
  /** The issuer's host: serving it as an organization's custom domain would brand every sign-in. */
  issuerHost?: string;
  /** The organization's plan allows custom domains (domain/entitlements); absent: always. */
  allows?: (organizationId: string, feature: 'custom_domain') => Promise<boolean>;
}

/**
 * Custom login domains: an organization maps a host name to its branded sign-in entry. Like an
 * email domain claim, a host counts only once its control is proven by a DNS TXT record at
 * `_gatehouse-challenge.<host>` (or attested by an operator); one organization per host.
 */
export function createCustomDomainsAdmin(db: Database, deps: CustomDomainsAdminDeps) {
  const now = deps.now ?? (() => new Date());
  const issuerHost = deps.issuerHost ? normalizeCustomHost(deps.issuerHost) : undefined;

  const parseHost = (input: string) => {
    const host = normalizeCustomHost(input);
    if (!host) throw new RuleViolationError(`${input} is not ${HOST_MESSAGE}`, 'invalid_host', 'host');
    if (host === issuerHost)
      throw new RuleViolationError(`${host} is the issuer's own host`, 'invalid_host', 'host');
    return host;
  };
  const assertOperator = (principal: AdminPrincipal) => {
    if (principal.scope.kind !== 'environment')
      throw new ForbiddenError('only environment admins may mark a custom domain verified without DNS proof');
  };
  /** The domain by id or host, if it belongs to the organization; otherwise NotFound. */
  const domainOf = async (repos: Repositories, organization: OrganizationRecord, ref: string) => {
    const host = normalizeCustomHost(ref);
    const domain = ref.startsWith('cdm_')
      ? await repos.customDomains.find(ref)
      : host
        ? await repos.customDomains.findByHost(host)
        : undefined;
    if (!domain || domain.organizationId !== organization.id) throw new NotFoundError(`custom domain ${ref}`);
    return domain;
  };
  const audit = (
    repos: Repositories,
    principal: AdminPrincipal,
    action: string,
    before: CustomDomainRecord | null,
    after: CustomDomainRecord | null,
  ) =>
    recordChange(repos, principal.actor, {
      organizationId: (after ?? before)!.organizationId,
      action,
      targetType: 'custom_domain',
      targetId: (after ?? before)!.id,
      before,
      after,
    });

  return {
    async list(principal: AdminPrincipal, orgRef: string): Promise<CustomDomainRecord[]> {
      return db.customDomains.listFor((await visibleOrganization(db, principal, orgRef)).id);
    },

    async get(principal: AdminPrincipal, orgRef: string, ref: string): Promise<CustomDomainRecord> {
      return domainOf(db, await visibleOrganization(db, principal, orgRef), ref);
    },

    async add(
      principal: AdminPrincipal,
      orgRef: string,
      input: CustomDomainCreate,
    ): Promise<CustomDomainRecord> {
      if (input.verified) assertOperator(principal);
      const host = parseHost(input.host);
      const organization = await visibleOrganization(db, principal, orgRef);
      if (deps.allows && !(await deps.allows(organization.id, 'custom_domain')))
        throw new ForbiddenError(
          "the organization's plan does not include custom domains",
          'feature_not_in_plan',
        );
      return db.transaction(async (repos) => {
        if (await repos.customDomains.findByHost(host))
          throw new ConflictError(`${host} is already a custom domain`, 'custom_domain_taken');
        const domain = await repos.customDomains.create({
          id: newId('cdm'),
          organizationId: organization.id,
          host,
          verificationToken: newVerificationToken(),
          verifiedAt: input.verified ? now() : null,
        });
        await audit(repos, principal, 'custom_domain.create', null, domain);
        return domain;
      });
    },

    /** Checks the DNS record now (or takes an operator's word); a missing record is a 422 naming it. */
    async verify(principal: AdminPrincipal, orgRef: string, ref: string, method: 'dns' | 'operator') {
      if (method === 'operator') assertOperator(principal);
      const organization = await visibleOrganization(db, principal, orgRef);
      const before = await domainOf(db, organization, ref);
      if (before.verifiedAt) return before;
      if (method === 'dns') {
        const outcome = await checkDnsChallenge(deps.dns, before.host, before.verificationToken);
        if (!outcome.verified) throw new RuleViolationError(outcome.detail, 'verification_failed', 'host');
      }
      return db.transaction(async (repos) => {
        const after = await repos.customDomains.setVerifiedAt(before.id, now());
        await audit(repos, principal, 'custom_domain.verify', before, after);
        return after;
      });
    },

    remove(principal: AdminPrincipal, orgRef: string, ref: string): Promise<void> {
      return db.transaction(async (repos) => {
        const organization = await visibleOrganization(repos, principal, orgRef);
        const before = await domainOf(repos, organization, ref);
        await repos.customDomains.delete(before.id);
        await audit(repos, principal, 'custom_domain.delete', before, null);
      });
    },
  };
}
export type CustomDomainsAdmin = ReturnType<typeof createCustomDomainsAdmin>;
