import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as oidc from 'openid-client';
import type { TestGatehouse } from '../support/gatehouse.js';
import { discover } from '../support/relying-party.js';

export const SECRET = 'mcp-client-secret-that-is-long-enough-0123456789';
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const mcpUrl = (gh: TestGatehouse) => `${gh.issuer}/mcp`;

/** A confidential client that may get tokens for the MCP endpoint with client credentials. */
export async function mcpClient(
  gh: TestGatehouse,
  scopes: string[],
  options: { organizationId?: string; resources?: string[] } = {},
): Promise<string> {
  const clientId = `mcp-${randomUUID().slice(0, 8)}`;
  await gh.addClient(
    {
      client_id: clientId,
      client_secret: SECRET,
      grant_types: ['client_credentials'],
      resources: options.resources ?? [mcpUrl(gh)],
      scopes,
    },
    options.organizationId,
  );
  return clientId;
}

/** RFC 6749 §4.4 through openid-client, with an RFC 8707 resource. */
export async function clientToken(
  gh: TestGatehouse,
  clientId: string,
  parameters: { scope?: string; resource?: string } = {},
): Promise<string> {
  const config = await discover(gh.issuer, clientId, SECRET);
  const tokens = await oidc.clientCredentialsGrant(config, {
    resource: parameters.resource ?? mcpUrl(gh),
    ...(parameters.scope ? { scope: parameters.scope } : {}),
  });
  return tokens.access_token;
}

/** The SDK's own client over Streamable HTTP, sending the token in the Authorization header. */
export async function connect(gh: TestGatehouse, token: string): Promise<Client> {
  const client = new Client({ name: 'gatehouse-test', version: '1' });
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl(gh)), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

/** A tool's answer: its structured content, or the refusal text when the tool reported an error. */
export async function call(client: Client, name: string, args: Json = {}) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    isError: result.isError === true,
    json: (result.structuredContent ?? {}) as Json,
    text: result.content.map((part) => (part.type === 'text' ? part.text : '')).join(''),
  };
}

/** One raw JSON-RPC POST, for what the SDK client hides (status codes and challenges). */
export function post(gh: TestGatehouse, body: unknown, token?: string): Promise<Response> {
  return fetch(mcpUrl(gh), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

export const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

export const toolCall = (name: string, args: Json = {}) => ({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name, arguments: args },
});
