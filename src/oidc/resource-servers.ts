import { errors, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';
import { clientExtra, type ClientExtras } from './client-metadata.js';
import { mcpResource, mcpScopesAmong } from '../mcp/mcp-resource.js';

/**
 * RFC 8707 resource indicators. A client may only ask for the APIs listed in its `resources`; the
 * access token for an API is a JWT (RFC 9068) whose audience is exactly that API, so a token
 * stolen from one API cannot be replayed at another.
 */
type ClientLike = ClientExtras;

/** A list-valued member of the client's metadata (empty when absent). */
export function listed(client: ClientLike, property: 'resources' | 'resource_scopes'): string[] {
  const value = clientExtra(client, property);
  return Array.isArray(value) ? (value as string[]) : [];
}

export function resourceIndicatorsFeature(accessTokenTtl: number) {
  return {
    enabled: true,
    // A client with exactly one API gets it without naming it (client_credentials convenience).
    async defaultResource(_ctx: KoaContextWithOIDC, client: ClientLike, oneOf?: string | string[]) {
      if (oneOf) return oneOf;
      const resources = listed(client, 'resources');
      return resources.length === 1 ? resources[0] : undefined;
    },
    async useGrantedResource() {
      return true;
    },
    async getResourceServerInfo(
      ctx: KoaContextWithOIDC,
      resource: string,
      client: ClientLike,
    ): Promise<ResourceServer> {
      if (!listed(client, 'resources').includes(resource)) {
        throw new errors.InvalidTarget('this client may not request tokens for that resource');
      }
      const scopes = listed(client, 'resource_scopes');
      // Gatehouse's own MCP admin endpoint takes only its own scopes, whatever else the client has.
      const served = resource === mcpResource(ctx.oidc.provider.issuer) ? mcpScopesAmong(scopes) : scopes;
      return {
        audience: resource,
        scope: served.join(' '),
        accessTokenTTL: accessTokenTtl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      };
    },
  };
}
