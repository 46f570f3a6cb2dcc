import { z } from 'zod';
import { connectionCreateSchema } from '../../domain/organizations/connection-input.js';
import { connectionJson } from '../../http/admin/routes/representations/connection.js';
import { explainJson } from '../../http/admin/routes/representations/routing.js';
import { MCP_ADMIN_SCOPE, MCP_READ_SCOPE } from '../mcp-resource.js';
import { defineTool, type McpServices, type McpTool } from '../tool.js';
import { organizationRef, ref } from './refs.js';

const hint = (description: string) => z.string().min(1).max(320).optional().describe(description);

/** Upstream identity providers and home-realm discovery. Secrets go in, never out. */
export function connectionTools({ connections, routing }: McpServices): McpTool[] {
  return [
    defineTool({
      name: 'list_connections',
      title: 'List connections',
      description: "An organization's OIDC and SAML connections (secrets are never shown).",
      scope: MCP_READ_SCOPE,
      input: z.strictObject({ organization: organizationRef }),
      run: async (principal, input) => ({
        data: (await connections.list(principal, input.organization)).map(connectionJson),
      }),
    }),
    defineTool({
      name: 'get_connection',
      title: 'Get a connection',
      description: 'One connection of an organization, by its key.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        organization: organizationRef,
        connection: ref('Connection key, e.g. `azure`.'),
      }),
      run: async (principal, input) =>
        connectionJson(await connections.get(principal, input.organization, input.connection)),
    }),
    defineTool({
      name: 'get_routing',
      title: "Get an organization's routing",
      description: "The organization's routing rules (domain pattern to connection) and fallback connection.",
      scope: MCP_READ_SCOPE,
      input: z.strictObject({ organization: organizationRef }),
      run: (principal, input) => routing.get(principal, input.organization),
    }),
    defineTool({
      name: 'explain_routing',
      title: 'Explain routing',
      description:
        'Which connection would sign in this email, with every rule considered and why ' +
        '(environment-wide callers only: the answer names the organization that verified the domain).',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        email: hint('The email as the user would type it.'),
        organization: ref('Organization hint: id or slug (the `organization` parameter).').optional(),
        connection: ref('Connection hint: an id (`con_...`) or a key of the hinted organization.').optional(),
        login_hint: hint('Used as the email when none is given.'),
        domain_hint: hint('Used as the domain when no email is known.'),
      }),
      run: async (principal, input) => {
        const hints = {
          organization: input.organization,
          connection: input.connection,
          loginHint: input.login_hint,
          domainHint: input.domain_hint,
        };
        return explainJson(await routing.explain(principal, input.email, hints));
      },
    }),
    defineTool({
      name: 'add_connection',
      title: 'Add a connection',
      description:
        'Adds an OIDC or SAML connection to an organization (`connection` is the admin API body of ' +
        'POST /organizations/{organization}/connections). Audited, secrets redacted.',
      scope: MCP_ADMIN_SCOPE,
      input: z.strictObject({ organization: organizationRef, connection: connectionCreateSchema }),
      run: async (principal, input) =>
        connectionJson(await connections.create(principal, input.organization, input.connection)),
    }),
  ];
}
