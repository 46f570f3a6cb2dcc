/**
 * The MCP admin endpoint as an OAuth protected resource (RFC 9728): its identifier, the scopes
 * its tools need, and the metadata that tells an MCP client where to get a token for it.
 */
export const MCP_PATH = '/mcp';

/** `gatehouse:read` for the read tools; `gatehouse:admin` for the write tools (and it reads too). */
export const MCP_READ_SCOPE = 'gatehouse:read';
export const MCP_ADMIN_SCOPE = 'gatehouse:admin';
export type McpScope = typeof MCP_READ_SCOPE | typeof MCP_ADMIN_SCOPE;
export const MCP_SCOPES: readonly McpScope[] = [MCP_READ_SCOPE, MCP_ADMIN_SCOPE];

/** RFC 8707 resource indicator of the endpoint: tokens for it carry exactly this `aud`. */
export const mcpResource = (issuer: string) => `${issuer}${MCP_PATH}`;

/** RFC 9728 §3.1: the well-known segment goes between the host and the resource's path. */
export function protectedResourceMetadataUrl(issuer: string): string {
  const resource = new URL(mcpResource(issuer));
  return `${resource.origin}/.well-known/oauth-protected-resource${resource.pathname}`;
}

/** RFC 9728 §2: Gatehouse is the endpoint's own authorization server. */
export function protectedResourceMetadata(issuer: string) {
  return {
    resource: mcpResource(issuer),
    authorization_servers: [issuer],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Gatehouse administration (Model Context Protocol)',
  };
}

/** Whether granted scopes cover `needed`: the admin scope includes reading. */
export function scopeCovers(granted: ReadonlySet<string>, needed: McpScope): boolean {
  return granted.has(needed) || (needed === MCP_READ_SCOPE && granted.has(MCP_ADMIN_SCOPE));
}

/** The subset of `scopes` that belongs to this endpoint (a token for it never carries others). */
export const mcpScopesAmong = (scopes: readonly string[]) =>
  scopes.filter((scope): scope is McpScope => (MCP_SCOPES as readonly string[]).includes(scope));
