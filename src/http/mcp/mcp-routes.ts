import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import {
  MCP_ADMIN_SCOPE,
  MCP_READ_SCOPE,
  mcpResource,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  scopeCovers,
  type McpScope,
} from '../../mcp/mcp-resource.js';
import { answerMcpPost } from '../../mcp/streamable-http.js';
import type { McpServices } from '../../mcp/tool.js';
import { adminTools } from '../../mcp/tools/index.js';
import { oauthError } from '../oauth-error.js';
import { createMcpBearer, type BearerRefusal, type McpBearerOptions } from './mcp-bearer.js';
import { readJsonBody } from './json-body.js';

export interface McpRouteOptions extends McpBearerOptions {
  /** The admin services the tools call (the container's, sessions included). */
  services: McpServices;
  maxBodyBytes: number;
  logger: Logger;
}

/**
 * RFC 6750 §3 challenge with RFC 9728 §5.1 `resource_metadata`, from which an MCP client finds
 * the authorization server; `scope` (MCP authorization, scope challenge) says what to ask for.
 */
function refuse(ctx: Context, issuer: string, refusal: BearerRefusal, scope?: McpScope): void {
  const params = [
    ...(refusal.error ? [`error="${refusal.error}"`, `error_description="${refusal.description}"`] : []),
    ...(scope ? [`scope="${scope}"`] : []),
    `resource_metadata="${protectedResourceMetadataUrl(issuer)}"`,
  ];
  ctx.set('WWW-Authenticate', `Bearer ${params.join(', ')}`);
  oauthError(ctx, refusal.status, refusal.error ?? 'invalid_request', refusal.description);
}

/** The scope a JSON-RPC message (or batch) needs: the admin scope when it calls a write tool. */
function scopeNeeded(body: unknown, toolScopes: ReadonlyMap<string, McpScope>): McpScope {
  const messages: unknown[] = Array.isArray(body) ? body : [body];
  const writes = messages.some((message) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    return method === 'tools/call' && toolScopes.get(String(params?.name)) === MCP_ADMIN_SCOPE;
  });
  return writes ? MCP_ADMIN_SCOPE : MCP_READ_SCOPE;
}

/** JSON-RPC 2.0 error answered without reaching the MCP server (no request id is known). */
function rpcError(ctx: Context, status: number, code: number, message: string): void {
  ctx.status = status;
  ctx.body = { jsonrpc: '2.0', error: { code, message }, id: null };
}

/**
 * The MCP admin endpoint (Streamable HTTP, stateless: POST only) as an OAuth protected resource,
 * and its RFC 9728 metadata. The scope of each write tool is checked here, before the call, so an
 * MCP client learns it must step up (403 insufficient_scope) instead of reading a tool error.
 */
export function mcpRoutes(options: McpRouteOptions): Router {
  const { issuer } = options;
  const bearer = createMcpBearer(options);
  const tools = adminTools(options.services);
  const toolScopes = new Map(tools.map((tool) => [tool.name, tool.scope]));
  const router = new Router();

  router.get(new URL(protectedResourceMetadataUrl(issuer)).pathname, (ctx) => {
    ctx.body = protectedResourceMetadata(issuer);
  });

  router.all(new URL(mcpResource(issuer)).pathname, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const outcome = await bearer(ctx.get('Authorization'));
    if ('refusal' in outcome) return refuse(ctx, issuer, outcome.refusal);
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      return rpcError(ctx, 405, -32000, 'this endpoint keeps no sessions and takes POST only');
    }
    const body = await readJsonBody(ctx.req, options.maxBodyBytes);
    if ('status' in body) {
      // The rest of an oversized body is still on its way: closing beats reading it.
      if (body.status === 413) ctx.set('Connection', 'close');
      return rpcError(ctx, body.status, -32700, body.message);
    }
    const needed = scopeNeeded(body.value, toolScopes);
    if (!scopeCovers(outcome.caller.scopes, needed)) {
      const refusal = { status: 403, error: 'insufficient_scope', description: `needs ${needed}` } as const;
      return refuse(ctx, issuer, refusal, needed);
    }
    const log = (ctx.state.log as Logger | undefined) ?? options.logger;
    // The SDK writes the answer on the Node response itself.
    ctx.respond = false;
    try {
      await answerMcpPost(
        { req: ctx.req, res: ctx.res, body: body.value },
        tools,
        outcome.caller,
        (error, tool) => log.error({ err: error, tool }, 'MCP tool failed'),
      );
    } catch (error) {
      log.error({ err: error }, 'MCP request failed');
      if (!ctx.res.headersSent) {
        ctx.res.writeHead(500, { 'Content-Type': 'application/json' });
        ctx.res.end(
          JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'internal error' }, id: null }),
        );
      }
    }
  });
  return router;
}
