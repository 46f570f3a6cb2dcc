import type { KoaContextWithOIDC } from 'oidc-provider';
import type { TokenIssued } from '../domain/audit/sign-in-audit.js';
import type { OidcProvider } from './provider-factory.js';

/** Token exchanges leave records of their own (domain/tokens/exchange-audit.ts). */
const RECORDED_ELSEWHERE = new Set(['urn:ietf:params:oauth:grant-type:token-exchange']);
const TOKEN_MEMBERS = ['access_token', 'id_token', 'refresh_token'] as const;

type IssuedToken = { accountId?: string; grantId?: string; scope?: string; extra?: Record<string, unknown> };

/** What a successful token response was, from the request's entities: never a token value or id. */
export function tokenIssuedFrom(ctx: KoaContextWithOIDC): TokenIssued | undefined {
  const grantType = String(ctx.oidc.params?.grant_type ?? '');
  const clientId = ctx.oidc.client?.clientId;
  if (!clientId || RECORDED_ELSEWHERE.has(grantType)) return undefined;
  const entities = ctx.oidc.entities as { AccessToken?: IssuedToken; ClientCredentials?: IssuedToken };
  const token = entities.AccessToken ?? entities.ClientCredentials;
  const body = (ctx.body ?? {}) as Record<string, unknown>;
  const organizationId = token?.extra?.org_id;
  return {
    clientId,
    grantType,
    userId: token?.accountId,
    organizationId: typeof organizationId === 'string' ? organizationId : undefined,
    grantId: token?.grantId,
    scope: token?.scope,
    tokens: TOKEN_MEMBERS.filter((member) => typeof body[member] === 'string'),
  };
}

/**
 * oidc-provider emits `grant.success` after the token endpoint built its response, synchronously:
 * the record is written as the response goes out, and a failure to write it is reported, not
 * thrown into the provider.
 */
export function registerTokenIssueEvents(
  provider: OidcProvider,
  onIssued: (event: TokenIssued) => void,
): void {
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const event = tokenIssuedFrom(ctx);
    if (event) onIssued(event);
  });
}
