import { z } from 'zod';
import { RuleViolationError } from '../../domain/errors.js';
import type { SessionsAdmin } from '../../domain/sessions/sessions-admin.js';
import { sessionJson } from '../../http/admin/routes/sessions.js';
import { MCP_ADMIN_SCOPE, MCP_READ_SCOPE } from '../mcp-resource.js';
import { defineTool, type McpTool } from '../tool.js';
import { organizationRef, userRef } from './refs.js';

type Target = { session?: string | undefined; user?: string | undefined; organization?: string | undefined };

/** Exactly one of the given arguments names what the tool acts on. */
function oneTarget<K extends keyof Target>(input: Target, allowed: readonly K[]): [K, string] {
  const given = allowed.filter((name) => input[name] !== undefined);
  if (given.length !== 1) {
    throw new RuleViolationError(`give exactly one of ${allowed.join(', ')}`, 'invalid_target');
  }
  return [given[0]!, input[given[0]!]!];
}

/**
 * Live browser sessions. Revoking one signs the browser out, revokes the grants made in it and
 * tells each application with a back-channel logout URI; the admin services audit each end.
 */
export function sessionTools(sessions: SessionsAdmin): McpTool[] {
  return [
    defineTool({
      name: 'list_sessions',
      title: 'List sessions',
      description: 'Live browser sessions of a user or of an organization (give one), oldest first.',
      scope: MCP_READ_SCOPE,
      input: z.strictObject({ user: userRef.optional(), organization: organizationRef.optional() }),
      run: async (principal, input) => {
        const [kind, ref] = oneTarget(input, ['user', 'organization'] as const);
        const found =
          kind === 'user'
            ? await sessions.listForUser(principal, ref)
            : await sessions.listForOrganization(principal, ref);
        return { data: found.map(sessionJson) };
      },
    }),
    defineTool({
      name: 'revoke_sessions',
      title: 'Revoke sessions',
      description:
        'Ends one session, every session of a user, or every session signed in for an organization ' +
        '(give one). Applications are told through back-channel logout. Audited.',
      scope: MCP_ADMIN_SCOPE,
      destructive: true,
      input: z.strictObject({
        session: z.string().min(1).max(64).optional().describe('One session id.'),
        user: userRef.optional(),
        organization: organizationRef.optional(),
      }),
      run: async (principal, input) => {
        const [kind, ref] = oneTarget(input, ['session', 'user', 'organization'] as const);
        if (kind === 'session') return (await sessions.revoke(principal, ref), { ended: 1 });
        const ended =
          kind === 'user'
            ? await sessions.revokeForUser(principal, ref)
            : await sessions.revokeForOrganization(principal, ref);
        return { ended };
      },
    }),
  ];
}
