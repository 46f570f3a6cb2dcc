import {
  errors,
  type Client,
  type KoaContextWithOIDC,
  type ResourceServer,
  type TokenEndpointGrantContext,
} from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import { exchangeOrganization } from '../domain/tokens/exchange-organization.js';
import {
  ACCESS_TOKEN_TYPE,
  checkExchangeRequest,
  checkSubjectClient,
  chooseResource,
  exchangedLifetime,
  exchangedScope,
  TOKEN_EXCHANGE_GRANT,
  TokenExchangeRefusal,
} from '../domain/tokens/token-exchange-policy.js';
import type { IssuedTokenAccess } from './organization-claims.js';
import type { OidcProvider } from './provider-factory.js';
import { listed } from './resource-servers.js';
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
type Params = Partial<Record<(typeof PARAMETERS)[number], string | string[]>>;

export interface TokenExchangeOptions {
  readSubjectToken: SubjectTokenReader;
  tenancy: Pick<OrganizationAccess, 'forUser'>;
  /** The resource indicators configuration: which APIs a client may ask for and how they are served. */
  getResourceServerInfo(ctx: KoaContextWithOIDC, resource: string, client: Client): Promise<ResourceServer>;
  /** Where the exchange leaves the organization it decided, for extraTokenClaims (organization-claims.ts). */
  issuedAccess: IssuedTokenAccess;
  accessTokenTtl: number;
}

/**
 * RFC 8693 token exchange at /token: a client trades a user's access token it holds for another
 * access token of that user, for one of its APIs, with fewer scopes or for another organization
 * the user belongs to. Nothing is written to a store: the result is a JWT (RFC 9068), which is
 * what makes it cheaper than a refresh (which rotates a durable refresh token).
 */
export function registerTokenExchange(provider: OidcProvider, options: TokenExchangeOptions): void {
  provider.registerGrantType<Params>(
    TOKEN_EXCHANGE_GRANT,
    (ctx) => exchange(ctx, options).catch(asProtocolError),
    PARAMETERS,
    // RFC 8693 §2.1 lets `resource` and `audience` repeat; chooseResource wants exactly one target.
    ['resource', 'audience'],
  );
}

async function exchange(ctx: TokenEndpointGrantContext<Params>, options: TokenExchangeOptions) {
  const { client, params, provider } = ctx.oidc;
  checkExchangeRequest(params);
  const subject = await options.readSubjectToken(ctx, params.subject_token as string);
  checkSubjectClient(subject.clientId, client.clientId);

  const resource = chooseResource(
    [...listOf(params.resource), ...listOf(params.audience)],
    listed(client, 'resources'),
  );
  const server = new provider.ResourceServer(
    resource,
    await options.getResourceServerInfo(ctx, resource, client),
  );
  const scopes = exchangedScope({
    requested: params.scope === undefined ? undefined : [...ctx.oidc.requestParamScopes],
    subject: subject.scopes,
    allowed: [...server.scopes],
  });
  const organization = await exchangeOrganization(options.tenancy, {
    userId: subject.userId,
    subject: subject.organization,
    organization: typeof params.organization === 'string' ? params.organization : undefined,
  });

  const properties = {
    accountId: subject.userId,
    client,
    resourceServer: server,
    scope: scopes.join(' ') || undefined,
    expiresIn: exchangedLifetime(options.accessTokenTtl, subject.exp, Date.now() / 1000),
    gty: 'token-exchange',
  };
  // No grantId: the token stands on the subject token, not on a grant (the typings require one).
  const token = new provider.AccessToken(properties as unknown as AccessTokenProperties);
  if (organization) options.issuedAccess.set(token, organization);
  ctx.oidc.entity('AccessToken', token);
  const value = await token.save();

  // RFC 8693 §2.2.1; `scope` only when the token holds API scopes (RFC 6749 §3.3: none is no list).
  ctx.body = {
    access_token: value,
    issued_token_type: ACCESS_TOKEN_TYPE,
    token_type: token.tokenType,
    expires_in: token.expiration,
    ...(token.scope ? { scope: token.scope } : {}),
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
    case 'target':
      throw new errors.InvalidTarget(error.message);
    case 'scope':
      throw new errors.InvalidScope(error.message, error.scope ?? '');
    case 'subject': {
      // InvalidGrant takes no description of its own; ours tells the client which token failed.
      const refusal = new errors.InvalidGrant();
      refusal.error_description = error.message;
      throw refusal;
    }
  }
}
