import {
  errors,
  type Client,
  type KoaContextWithOIDC,
  type ResourceServer,
  type TokenEndpointGrantContext,
} from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import { clientExtra, type ClientExtras } from './client-metadata.js';
import { exchangePolicyOf, type ExchangePolicy } from '../domain/tokens/client-exchange-policy.js';
import type { ExchangeRecord } from '../domain/tokens/exchange-audit.js';
import {
  ACCESS_TOKEN_TYPE,
  checkExchangeRequest,
  chooseResource,
  exchangedLifetime,
  exchangedScope,
  IMPERSONATION_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT,
  TokenExchangeRefusal,
} from '../domain/tokens/token-exchange-policy.js';
import type { ActorTokenReader } from './actor-token.js';
import { delegatedSubject, impersonatedSubject, type ExchangeSubject } from './exchange-subject.js';
import type { ImpersonationRedeemer } from './exchange-subject.js';
import type { IssuedTokenAccess } from './organization-claims.js';
import type { OidcProvider } from './provider-factory.js';
import type { SubjectTokenReader } from './subject-token.js';

/** RFC 8693 §2.1 request parameters, plus Gatehouse's `organization` (id or slug) to switch to. */
const PARAMETERS = [
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'resource',
  'audience',
  'scope',
  'organization',
] as const;
type AccessTokenProperties = ConstructorParameters<OidcProvider['AccessToken']>[0];
export type ExchangeParams = Partial<Record<(typeof PARAMETERS)[number], string | string[]>>;

export interface TokenExchangeOptions {
  readSubjectToken: SubjectTokenReader;
  readActorToken: ActorTokenReader;
  /** Checks an impersonation handle and starts the impersonation (domain/impersonation). */
  redeemImpersonation: ImpersonationRedeemer;
  tenancy: Pick<OrganizationAccess, 'forUser'>;
  /** The resource indicators configuration: how an API's tokens are served. */
  getResourceServerInfo(
    ctx: KoaContextWithOIDC,
    resource: string,
    client: ClientExtras,
  ): Promise<ResourceServer>;
  /** Where the exchange leaves the claims it decided, for extraTokenClaims (organization-claims.ts). */
  issuedAccess: IssuedTokenAccess;
  accessTokenTtl: number;
  /** Appends the exchange to the audit log (domain/tokens/exchange-audit.ts). */
  recordExchange(record: ExchangeRecord): Promise<void>;
}

/**
 * RFC 8693 token exchange at /token. A client trades a user's access token for another access
 * token of that user: for one of its APIs, with fewer scopes, for another organization the user
 * belongs to, or (delegation) naming an actor in `act`. A support operator's client trades an
 * approved impersonation handle for a bounded token of the impersonated user. The result is a
 * JWT (RFC 9068): no token is stored, only the audit record of the exchange.
 */
export function registerTokenExchange(provider: OidcProvider, options: TokenExchangeOptions): void {
  provider.registerGrantType<ExchangeParams>(
    TOKEN_EXCHANGE_GRANT,
    (ctx) => exchange(ctx, options).catch(asProtocolError),
    PARAMETERS,
    // RFC 8693 §2.1 lets `resource` and `audience` repeat; chooseResource wants exactly one target.
    ['resource', 'audience'],
  );
}

async function exchange(ctx: TokenEndpointGrantContext<ExchangeParams>, options: TokenExchangeOptions) {
  const { client, params } = ctx.oidc;
  const policy = exchangePolicyOf(client.clientId, {
    token_exchange: clientExtra(client, 'token_exchange'),
    resources: clientExtra(client, 'resources'),
    resource_scopes: clientExtra(client, 'resource_scopes'),
  });
  checkExchangeRequest(params, policy);
  const subject =
    params.subject_token_type === IMPERSONATION_TOKEN_TYPE
      ? await impersonatedSubject(ctx, options)
      : await delegatedSubject(ctx, options, policy);

  const resource = chooseResource([...listOf(params.resource), ...listOf(params.audience)], policy.audiences);
  const server = await resourceServer(ctx, options, policy, resource);
  const scopes = exchangedScope({
    requested: params.scope === undefined ? undefined : [...ctx.oidc.requestParamScopes],
    subject: subject.scopes,
    allowed: [...server.scopes],
  });
  const token = new ctx.oidc.provider.AccessToken({
    accountId: subject.userId,
    client,
    resourceServer: server,
    scope: scopes.join(' ') || undefined,
    expiresIn: exchangedLifetime(options.accessTokenTtl, subject.exp, Date.now() / 1000),
    gty: 'token-exchange',
    // No grantId: the token stands on the subject token, not on a grant (the typings require one).
  } as unknown as AccessTokenProperties);
  options.issuedAccess.set(token, subject.claims);
  ctx.oidc.entity('AccessToken', token);
  const value = await token.save();
  await options.recordExchange(exchangeRecord(client, subject, resource, scopes, token.exp));

  // RFC 8693 §2.2.1; `scope` only when the token holds API scopes (RFC 6749 §3.3: none is no list).
  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: token.tokenType,
    expires_in: token.expiration,
    ...(token.scope ? { scope: token.scope } : {}),
  };
}

/**
 * The API the token is for, served as the resource indicators configuration serves it, with the
 * scopes the client's exchange policy allows there. The policy lists the APIs, so a client may be
 * allowed to exchange for an API it cannot ask for directly (a downstream service's).
 */
async function resourceServer(
  ctx: KoaContextWithOIDC,
  options: TokenExchangeOptions,
  policy: ExchangePolicy,
  resource: string,
) {
  const view = { resources: [resource], resource_scopes: [...policy.scopes] };
  return new ctx.oidc.provider.ResourceServer(
    resource,
    await options.getResourceServerInfo(ctx, resource, view),
  );
}

function exchangeRecord(
  client: Client,
  subject: ExchangeSubject,
  audience: string,
  scopes: readonly string[],
  exp: number | undefined,
): ExchangeRecord {
  return {
    clientId: client.clientId,
    userId: subject.userId,
    organizationId: subject.claims.access?.organizationId ?? null,
    subjectClientId: subject.subjectClientId,
    act: subject.claims.act,
    impersonationId: subject.claims.impersonation?.id,
    audience,
    scopes: [...scopes],
    permissions: subject.claims.access?.permissions ?? [],
    expiresAt: exp === undefined ? undefined : new Date(exp * 1000),
  };
}

const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** RFC 8693 §2.2.2 answers with the RFC 6749 §5.2 errors, plus invalid_target (RFC 8707 §2). */
function asProtocolError(error: unknown): never {
  if (!(error instanceof TokenExchangeRefusal)) throw error;
  switch (error.reason) {
    case 'request':
      throw new errors.InvalidRequest(error.message);
    case 'client':
      throw new errors.UnauthorizedClient(error.message);
    case 'target':
      throw new errors.InvalidTarget(error.message);
    case 'scope':
      throw new errors.InvalidScope(error.message, error.scope ?? '');
    case 'subject':
    case 'actor': {
      // InvalidGrant takes no description of its own; ours tells the client which token failed.
      const refusal = new errors.InvalidGrant();
      refusal.error_description = error.message;
      throw refusal;
    }
  }
}
