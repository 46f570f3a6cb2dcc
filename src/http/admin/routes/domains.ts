import { z } from 'zod';
import type { AdminServices } from '../../../domain/organizations/admin-services.js';
import { domainCreateSchema, domainVerifySchema } from '../../../domain/organizations/domains-admin.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { DomainJson, domainJson } from './representations/domain.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['domains'];
const params = z.strictObject({
  ...organizationParam,
  domain: ref('The claimed domain, e.g. `*.example.com`.'),
});
const NewDomain = domainCreateSchema.meta({ id: 'NewDomain' });
// An empty POST is the common call (check the DNS record now), so the body may be left out.
const DomainVerification = domainVerifySchema.default({ method: 'dns' }).meta({ id: 'DomainVerification' });

/** Email domains an organization claims, and their proof of control. */
export function domainRoutes({ domains }: AdminServices): AdminRoute[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/domains',
      summary: 'List domain claims',
      tags,
      params: organizationParams,
      responses: found(listOf(DomainJson), 'Claims.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await domains.list(principal, params.organization)).map(domainJson) }),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/domains',
      summary: 'Claim a domain; prove it with the TXT record in `verification`',
      tags,
      params: organizationParams,
      body: NewDomain,
      responses: {
        201: { description: 'Claimed.', schema: DomainJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const claim = await domains.add(principal, params.organization, body);
        return created(
          `/organizations/${claim.organizationId}/domains/${segment(claim.domain)}`,
          domainJson(claim),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/organizations/:organization/domains/:domain',
      summary: 'Get a domain claim',
      tags,
      params,
      responses: found(DomainJson, 'The claim.'),
      handler: async ({ principal, params }) =>
        ok(domainJson(await domains.get(principal, params.organization, params.domain))),
    }),
    defineRoute({
      method: 'POST',
      path: '/organizations/:organization/domains/:domain/verify',
      summary: 'Check the DNS proof now (or attest as operator)',
      tags,
      params,
      body: DomainVerification,
      responses: {
        ...found(DomainJson, 'Verified.'),
        ...problems.forbidden,
        ...problems.conflict,
        422: { description: 'The DNS record is missing or the lookup failed; `detail` says which.' },
      },
      handler: async ({ principal, params, body }) =>
        ok(domainJson(await domains.verify(principal, params.organization, params.domain, body.method))),
    }),
    defineRoute({
      method: 'DELETE',
      path: '/organizations/:organization/domains/:domain',
      summary: 'Give up a domain claim',
      tags,
      params,
      responses: removed('Removed.'),
      handler: async ({ principal, params }) => {
        await domains.remove(principal, params.organization, params.domain);
        return noContent();
      },
    }),
  ];
}
