import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createAdminMcpServer, type ToolFailureReport } from './admin-server.js';
import type { McpCaller, McpTool } from './tool.js';

/**
 * Answers one MCP POST (Streamable HTTP, stateless: no Mcp-Session-Id, a server and transport per
 * request) with plain JSON. The caller was authenticated and its scopes gated by the HTTP layer;
 * `body` is the JSON-RPC message (or batch) it already parsed.
 */
export async function answerMcpPost(
  request: { req: IncomingMessage; res: ServerResponse; body: unknown },
  tools: readonly McpTool[],
  caller: McpCaller,
  report: ToolFailureReport,
): Promise<void> {
  const server = createAdminMcpServer(tools, caller, report);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(request.req, request.res, request.body);
  } finally {
    await server.close();
  }
}
