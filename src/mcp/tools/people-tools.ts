import { z } from 'zod';
import { membershipStatusSchema } from '../../domain/organizations/membership-input.js';
import { roleNameSchema } from '../../domain/organizations/organization-input.js';
import { membershipJson } from '../../http/admin/routes/representations/membership.js';
import { userJson } from '../../http/admin/routes/representations/user.js';
import { MCP_READ_SCOPE } from '../mcp-resource.js';
import { pageFields, pageOf } from '../paging.js';
import { defineTool, type McpServices, type McpTool } from '../tool.js';
import { organizationRef, userRef } from './refs.js';

/** Users and who belongs to which organization; a delegated caller sees its organizations' members. */
export function peopleTools({ users, memberships }: McpServices): McpTool[] {
  return [
    defineTool({
      name: 'list_users',
      title: 'List users',
      description: 'Users visible to the caller, ordered by id, a page at a time.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        ...pageFields,
        email: z.string().min(1).max(254).optional().describe('Exact email address.'),
      }),
      run: (principal, { limit, cursor, email }) =>
        pageOf({ limit, cursor }, (page) => users.list(principal, { email }, page), userJson),
    }),
    defineTool({
      name: 'get_user',
      title: 'Get a user',
      description: 'One user account (never a password or factor secret).',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({ user: userRef }),
      run: async (principal, input) => userJson(await users.get(principal, input.user)),
    }),
    defineTool({
      name: 'list_memberships',
      title: 'List memberships',
      description: "An organization's members with their status and roles, a page at a time.",
      scope: MCP_READ_SCOPE,
      input: z.strictObject({
        ...pageFields,
        organization: organizationRef,
        status: membershipStatusSchema.optional(),
        role: roleNameSchema.optional().describe('Only memberships holding this role.'),
      }),
      run: (principal, { limit, cursor, organization, ...filter }) =>
        pageOf(
          { limit, cursor },
          (page) => memberships.list(principal, organization, filter, page),
          membershipJson,
        ),
    }),
  ];
}
