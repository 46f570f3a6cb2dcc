import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createAdminMcpServer, type ToolFailureReport } from './admin-server.js';
import type { McpCaller, McpTool } from './tool.js';

const isRequest = (message: JSONRPCMessage) => 'method' in message && 'id' in message;
const isResponse = (message: JSONRPCMessage) => 'result' in message || 'error' in message;

/**
 * Calls `close` once the input has ended and every request read before the end has been
 * answered: a client that writes its last call and closes stdin still gets the answer.
 */
function closeWhenDrained(transport: StdioServerTransport, close: () => Promise<void>): void {
  let pending = 0;
  let ended = false;
  const settle = () => {
    if (ended && pending === 0) void close();
  };
  const receive = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if (isRequest(message)) pending += 1;
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    try {
      await send(message);
    } finally {
      if (isResponse(message)) {
        pending -= 1;
        settle();
      }
    }
  };
  process.stdin.once('end', () => {
    ended = true;
    settle();
  });
}

/**
 * Serves the tools on this process's stdin and stdout (the MCP stdio transport) until the client
 * closes stdin; stdout then carries nothing but protocol messages.
 */
export async function serveStdio(
  tools: readonly McpTool[],
  caller: McpCaller,
  report: ToolFailureReport,
): Promise<void> {
  const server = createAdminMcpServer(tools, caller, report);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => (transport.onclose = resolve));
  await server.connect(transport);
  closeWhenDrained(transport, () => server.close());
  await closed;
}
