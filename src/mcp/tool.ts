import type { z } from 'zod';
import type { AdminPrincipal } from '../domain/organizations/admin-principal.js';
import type { AdminServices } from '../domain/organizations/admin-services.js';
import type { SessionsAdmin } from '../domain/sessions/sessions-admin.js';
import type { McpScope } from './mcp-resource.js';

/** The admin services the tools call; sessions only where a session registry is reachable. */
export type McpServices = Pick<
  AdminServices,
  'organizations' | 'domains' | 'connections' | 'routing' | 'users' | 'memberships' | 'audit'
> & { sessions?: SessionsAdmin | undefined };

/** Who calls the tools: the principal the admin services scope and record, and the scopes granted. */
export interface McpCaller {
  principal: AdminPrincipal;
  scopes: ReadonlySet<string>;
}

/**
 * One tool, free of the SDK: its input is a zod object (validated before `run`), its answer any
 * JSON value. Reads need `gatehouse:read`; writes need `gatehouse:admin` and are audited by the
 * admin services with the caller's principal as actor.
 */
export interface McpTool {
  name: string;
  title: string;
  description: string;
  scope: McpScope;
  /** MCP tool annotations: a write that ends something (sessions) is destructive. */
  destructive?: boolean;
  input: z.ZodObject;
  run(principal: AdminPrincipal, input: unknown): Promise<unknown>;
}

/** Types `run`'s input from the schema; the server validates before it calls. */
export function defineTool<S extends z.ZodObject>(
  tool: Omit<McpTool, 'input' | 'run'> & {
    input: S;
    run(principal: AdminPrincipal, input: z.output<S>): Promise<unknown>;
  },
): McpTool {
  return tool as McpTool;
}
