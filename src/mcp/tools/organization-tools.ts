import { z } from 'zod';
import { domainCreateSchema } from '../../domain/organizations/domains-admin.js';
import { organizationCreateSchema, slugSchema } from '../../domain/organizations/organization-input.js';
import { domainJson } from '../../http/admin/routes/representations/domain.js';
import { effectiveJson, organizationJson } from '../../http/admin/routes/representations/organization.js';
import { MCP_ADMIN_SCOPE, MCP_READ_SCOPE } from '../mcp-resource.js';
import { pageFields, pageOf } from '../paging.js';
import { defineTool, type McpServices, type McpTool } from '../tool.js';
import { organizationRef, ref } from './refs.js';

const status = z.enum(['active', 'suspended']);

/** The organization tree and its domain claims; creating organizations and claiming domains. */
export function organizationTools({ organizations, domains }: McpServices): McpTool[] {
  return [
    defineTool({
      name: 'list_organizations',
      title: 'List organizations',
      description: 'Organizations visible to the caller, ordered by id, a page at a time.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        ...pageFields,
        parent: ref('Only the direct sub-organizations of this one (id or slug).').optional(),
        status: status.optional(),
        slug: slugSchema.optional(),
      }),
      run: (principal, { limit, cursor, ...filter }) =>
        pageOf({ limit, cursor }, (page) => organizations.list(principal, filter, page), organizationJson),
    }),
    defineTool({
      name: 'get_organization',
      title: 'Get an organization',
      description:
        'One organization with its effective (inherited) roles and security policies, and its domain claims.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({ organization: organizationRef }),
      run: async (principal, input) => {
        const organization = await organizations.get(principal, input.organization);
        const [effective, claims] = await Promise.all([
          organizations.effective(principal, organization.id),
          domains.list(principal, organization.id),
        ]);
        return {
          ...organizationJson(organization),
          effective: effectiveJson(effective),
          domains: claims.map(domainJson),
        };
      },
    }),
    defineTool({
      name: 'create_organization',
      title: 'Create an organization',
      description: 'Creates an organization, or a sub-organization when `parent` is given. Audited.',
      scope: MCP_ADMIN_SCOPE,
      input: organizationCreateSchema,
      run: async (principal, input) => organizationJson(await organizations.create(principal, input)),
    }),
    defineTool({
      name: 'add_domain',
      title: 'Claim a domain',
      description:
        'Claims an email domain for an organization; prove it with the DNS TXT record in `verification` ' +
        '(or `verified: true`, an operator attestation, for environment-wide callers). Audited.',
      scope: MCP_ADMIN_SCOPE,
      input: domainCreateSchema.extend({ organization: organizationRef }),
      run: async (principal, { organization, ...claim }) =>
        domainJson(await domains.add(principal, organization, claim)),
    }),
  ];
}
