import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { DomainError, RuleViolationError } from '../domain/errors.js';
import { scopeCovers } from './mcp-resource.js';
import type { McpCaller, McpTool } from './tool.js';

/** Told of a tool failure that is not a rule's answer (a bug, the database down). */
export type ToolFailureReport = (error: unknown, tool: string) => void;

const SERVER_INFO = { name: 'gatehouse-admin', version: '1' };

const refusal = (code: string, message: string, field?: string): CallToolResult => ({
  isError: true,
  content: [{ type: 'text', text: `${code}: ${message}` }],
  structuredContent: { error: code, message, ...(field ? { field } : {}) },
});

/**
 * MCP tool errors (isError results, which the model reads) carry the rule's code and message,
 * exactly what the admin API puts in its problem documents; anything else stays in the log.
 */
function failure(error: unknown, tool: string, report: ToolFailureReport): CallToolResult {
  if (error instanceof RuleViolationError) return refusal(error.code, error.message, error.field);
  if (error instanceof DomainError) return refusal(error.code, error.message);
  report(error, tool);
  return refusal('internal_error', 'the tool failed; the server log has the details');
}

const answer = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
  structuredContent: (value ?? {}) as Record<string, unknown>,
});

/**
 * One MCP server over the admin tools, for one caller. Every tool checks the caller's scopes
 * itself, so a transport that forgot to gate a call still cannot write without the admin scope.
 */
export function createAdminMcpServer(
  tools: readonly McpTool[],
  caller: McpCaller,
  report: ToolFailureReport,
) {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} } });
  for (const tool of tools) {
    const readOnly = tool.scope === 'gatehouse:read';
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: `${tool.description} Needs the ${tool.scope} scope.`,
        inputSchema: tool.input,
        annotations: {
          title: tool.title,
          readOnlyHint: readOnly,
          ...(readOnly ? {} : { destructiveHint: tool.destructive ?? false }),
          openWorldHint: false,
        },
      },
      async (input: unknown) => {
        if (!scopeCovers(caller.scopes, tool.scope)) {
          return refusal('insufficient_scope', `${tool.name} needs the ${tool.scope} scope`);
        }
        try {
          return answer(await tool.run(caller.principal, input));
        } catch (error) {
          return failure(error, tool.name, report);
        }
      },
    );
  }
  return server;
}
