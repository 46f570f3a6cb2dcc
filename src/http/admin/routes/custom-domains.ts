import { z } from 'zod';
import {
  customDomainCreateSchema,
  customDomainVerifySchema,
  type CustomDomainsAdmin,
} from '../../../domain/branding/custom-domains-admin.js';
import { challengeName } from '../../../domain/organizations/domain-names.js';
import type { CustomDomainRecord } from '../../../domain/ports/custom-domains.js';
import { defineRoute, type AdminRoute } from '../route.js';
import { organizationParam, organizationParams, ref } from './params.js';
import { iso, isoOrNull, timestamp } from './representations/timestamps.js';
import { created, found, listOf, noContent, ok, problems, removed, segment } from './responses.js';

const tags = ['custom-domains'];
const params = z.strictObject({
  ...organizationParam,
  id: ref('The custom domain id (`cdm_...`) or its host.'),
});
const NewCustomDomain = customDomainCreateSchema.meta({ id: 'NewCustomDomain' });
// An empty POST is the common call (check the DNS record now), so the body may be left out.
const CustomDomainVerification = customDomainVerifySchema
  .default({ method: 'dns' })
  .meta({ id: 'CustomDomainVerification' });

export const CustomDomainJson = z
  .object({
    id: z.string(),
    organization_id: z.string(),
    host: z.string().meta({ description: 'Lower-case ASCII (punycode), no port.' }),
    verified: z.boolean(),
    verified_at: timestamp.nullable(),
    verification: z
      .object({ type: z.literal('dns_txt'), name: z.string(), value: z.string() })
      .nullable()
      .meta({ description: 'The TXT record that proves control, until the host is verified.' }),
    created_at: timestamp,
  })
  .meta({ id: 'CustomDomain' });

const customDomainJson = (domain: CustomDomainRecord): z.output<typeof CustomDomainJson> => ({
  id: domain.id,
  organization_id: domain.organizationId,
  host: domain.host,
  verified: domain.verifiedAt !== null,
  verified_at: isoOrNull(domain.verifiedAt),
  verification: domain.verifiedAt
    ? null
    : { type: 'dns_txt', name: challengeName(domain.host), value: domain.verificationToken },
  created_at: iso(domain.createdAt),
});

/**
 * Custom login domains (login.customer.example): the organization's branded sign-in entry. A host
 * serves it only once verified, and only where the deployment sets CUSTOM_DOMAINS=true.
 */
export function customDomainRoutes({ customDomains }: { customDomains: CustomDomainsAdmin }): AdminRoute[] {
  const path = '/organizations/:organization/custom-domains';
  return [
    defineRoute({
      method: 'GET',
      path,
      summary: 'List custom login domains',
      tags,
      params: organizationParams,
      responses: found(listOf(CustomDomainJson), 'Custom domains.'),
      handler: async ({ principal, params }) =>
        ok({ data: (await customDomains.list(principal, params.organization)).map(customDomainJson) }),
    }),
    defineRoute({
      method: 'POST',
      path,
      summary: 'Add a custom login domain; prove it with the TXT record in `verification`',
      tags,
      params: organizationParams,
      body: NewCustomDomain,
      responses: {
        201: { description: 'Added.', schema: CustomDomainJson },
        ...problems.forbidden,
        ...problems.notFound,
        ...problems.conflict,
        ...problems.rule,
      },
      handler: async ({ principal, params, body }) => {
        const domain = await customDomains.add(principal, params.organization, body);
        return created(
          `/organizations/${domain.organizationId}/custom-domains/${segment(domain.id)}`,
          customDomainJson(domain),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      path: `${path}/:id`,
      summary: 'Get a custom login domain',
      tags,
      params,
      responses: found(CustomDomainJson, 'The custom domain.'),
      handler: async ({ principal, params }) =>
        ok(customDomainJson(await customDomains.get(principal, params.organization, params.id))),
    }),
    defineRoute({
      method: 'POST',
      path: `${path}/:id/verify`,
      summary: 'Check the DNS proof of a custom domain now (or attest as operator)',
      tags,
      params,
      body: CustomDomainVerification,
      responses: {
        ...found(CustomDomainJson, 'Verified.'),
        ...problems.forbidden,
        422: { description: 'The DNS record is missing or the lookup failed; `detail` says which.' },
      },
      handler: async ({ principal, params, body }) =>
        ok(
          customDomainJson(
            await customDomains.verify(principal, params.organization, params.id, body.method),
          ),
        ),
    }),
    defineRoute({
      method: 'DELETE',
      path: `${path}/:id`,
      summary: 'Remove a custom login domain',
      tags,
      params,
      responses: removed('Removed.'),
      handler: async ({ principal, params }) => {
        await customDomains.remove(principal, params.organization, params.id);
        return noContent();
      },
    }),
  ];
}
