import type { JWTPayload } from 'jose';
import { ENVIRONMENT_SCOPE, type AdminPrincipal } from '../../domain/organizations/admin-principal.js';
import type { OrganizationAccess } from '../../domain/organizations/organization-access.js';
import type { PrivateJwk } from '../../domain/keys/signing-keys.js';
import type { ClientRecord, Database } from '../../domain/ports/repositories.js';
import { mcpResource, mcpScopesAmong, MCP_READ_SCOPE } from '../../mcp/mcp-resource.js';
import type { McpCaller } from '../../mcp/tool.js';
import { createOwnJwtVerifier, looksLikeJwt, OwnJwtRejected } from '../../oidc/own-jwt.js';

/** Why a request may not use the endpoint, as RFC 6750 §3 states it. */
export interface BearerRefusal {
  status: 401 | 403;
  /** Absent when the request carried no token at all (RFC 6750 §3.1). */
  error?: 'invalid_token' | 'insufficient_scope' | 'access_denied';
  description: string;
}

export type BearerOutcome = { caller: McpCaller } | { refusal: BearerRefusal };

export interface McpBearerOptions {
  issuer: string;
  /** The provider's keys; read once, on the first token (a key rotation rebuilds the routes). */
  signingSet: () => Promise<PrivateJwk[]>;
  db: Pick<Database, 'clients' | 'organizations'>;
  tenancy: Pick<OrganizationAccess, 'forUser'>;
}

type Refused = { refusal: BearerRefusal };
const invalid = (description: string): Refused => ({
  refusal: { status: 401, error: 'invalid_token', description },
});
const denied = (description: string): Refused => ({
  refusal: { status: 403, error: 'access_denied', description },
});

/** RFC 8707, RFC 9068 §4: the token's audience is exactly this endpoint, not merely among others. */
const boundTo = (aud: JWTPayload['aud'], resource: string) => {
  const audiences = [aud ?? []].flat();
  return audiences.length === 1 && audiences[0] === resource;
};

/**
 * Turns `Authorization: Bearer <RFC 9068 access token>` into the caller of the admin tools. The
 * token must be this issuer's, unexpired, for `<issuer>/mcp`, and carry an MCP scope; its client
 * must still exist. Client credentials act as the client (audited as `mcp_client`), within the
 * client's organization when it belongs to one; a user's token acts as that user, within the
 * organization it was issued for, and only while the user administers it.
 */
export function createMcpBearer(options: McpBearerOptions) {
  const resource = mcpResource(options.issuer);
  let verifier: Promise<ReturnType<typeof createOwnJwtVerifier>> | undefined;
  const verify = async (token: string) => {
    if (!verifier) {
      verifier = options.signingSet().then((jwks) => createOwnJwtVerifier({ issuer: options.issuer, jwks }));
      // A failed read is not an answer: the next request tries again.
      verifier.catch(() => (verifier = undefined));
    }
    return (await verifier)(token, 'access_token');
  };

  return async (authorization: string): Promise<BearerOutcome> => {
    const [scheme, token, ...rest] = authorization.trim().split(/\s+/);
    if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
      return { refusal: { status: 401, description: 'send an access token for this endpoint' } };
    }
    let payload: JWTPayload;
    try {
      if (!looksLikeJwt(token)) return invalid('the access token is not valid');
      payload = await verify(token);
    } catch (error) {
      if (!(error instanceof OwnJwtRejected)) throw error;
      return invalid(error.expired ? 'the access token has expired' : 'the access token is not valid');
    }
    if (!boundTo(payload.aud, resource)) return invalid(`the access token is not for ${resource}`);
    // A proof-of-possession token (RFC 9449, RFC 8705) is only good with its proof, which this
    // endpoint does not check; a support impersonation never administers.
    if (payload.cnf !== undefined) return invalid('sender-constrained access tokens are not accepted here');
    if (payload.impersonation !== undefined) return denied('a support impersonation cannot administer');
    const client = await options.db.clients.find(String(payload.client_id));
    if (!client) return invalid('the access token is not valid');
    const scopes = mcpScopesAmong(typeof payload.scope === 'string' ? payload.scope.split(' ') : []);
    if (scopes.length === 0) {
      return {
        refusal: { status: 403, error: 'insufficient_scope', description: `needs ${MCP_READ_SCOPE}` },
      };
    }
    const principal = await principalOf(payload, client, options);
    return 'refusal' in principal ? principal : { caller: { principal, scopes: new Set(scopes) } };
  };
}
export type McpBearer = ReturnType<typeof createMcpBearer>;

async function principalOf(
  payload: JWTPayload,
  client: ClientRecord,
  options: McpBearerOptions,
): Promise<AdminPrincipal | Refused> {
  // RFC 9068 §2.2: a client credentials token has the client itself as `sub`.
  if (payload.sub === client.id) {
    return {
      actor: { type: 'mcp_client', id: client.id },
      scope: client.organizationId
        ? { kind: 'organization', organizationId: client.organizationId }
        : ENVIRONMENT_SCOPE,
    };
  }
  const organizationId = payload.org_id;
  const userId = payload.sub!;
  if (typeof organizationId !== 'string') {
    return denied("a user's token must be issued for an organization the user administers");
  }
  // Read fresh: a membership or admin role taken away ends the token's standing at once.
  const access = await options.tenancy.forUser(organizationId, userId);
  const ownTenant =
    !client.organizationId ||
    (await options.db.organizations.subtreeIds(client.organizationId)).includes(organizationId);
  if (!access || access.denied || !access.admin || !ownTenant) {
    return denied('the user does not administer the organization the token was issued for');
  }
  return { actor: { type: 'user', id: userId }, scope: { kind: 'organization', organizationId } };
}
