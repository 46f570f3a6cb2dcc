import { OIDC_SCOPES } from '../clients/client-catalog.js';
import { DomainError } from '../errors.js';
import type { TenantAccess } from '../organizations/organization-access.js';
import type { ExchangePolicy } from './client-exchange-policy.js';

/**
 * The rules of OAuth 2.0 Token Exchange (RFC 8693) as Gatehouse applies them, free of any
 * library: the oidc/ edge reads the request and the subject token, these functions decide.
 */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
/**
 * Gatehouse's own token type (RFC 8693 §3 allows URIs under the issuer's control): the handle of
 * an approved support impersonation, shown once to the operator who requested it.
 */
export const IMPERSONATION_TOKEN_TYPE = 'urn:gatehouse:params:oauth:token-type:impersonation';

/** What an exchange may yield: an access token, which Gatehouse issues as a JWT (RFC 9068). */
const ISSUABLE_TYPES: ReadonlySet<string> = new Set([ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE]);
const SUBJECT_TYPES: ReadonlySet<string> = new Set([ACCESS_TOKEN_TYPE, IMPERSONATION_TOKEN_TYPE]);
/** An actor proves who acts: any token of this issuer naming a user or a client will do. */
const ACTOR_TYPES: ReadonlySet<string> = new Set([ACCESS_TOKEN_TYPE, JWT_TOKEN_TYPE, ID_TOKEN_TYPE]);

/**
 * Which part of the request the exchange cannot honour: the request itself, the client's right
 * to ask, the subject or actor token, the target (audience, resource, organization) or a scope.
 * The edge maps these to invalid_request, unauthorized_client, invalid_grant (both tokens),
 * invalid_target and invalid_scope (RFC 8693 §2.2.2).
 */
export type RefusalReason = 'request' | 'client' | 'subject' | 'actor' | 'target' | 'scope';

export class TokenExchangeRefusal extends DomainError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** The offending scope, for `reason: 'scope'`. */
    readonly scope?: string,
  ) {
    super(message, `token_exchange_${reason}`);
  }
}

export interface ExchangeRequest {
  subject_token?: unknown;
  subject_token_type?: unknown;
  actor_token?: unknown;
  actor_token_type?: unknown;
  requested_token_type?: unknown;
}

/** What the client's policy says about the kinds of exchange it may make. */
export type ExchangeRights = Pick<ExchangePolicy, 'delegation' | 'impersonation'>;

/**
 * RFC 8693 §2.1: the parameters every exchange needs, the token types Gatehouse reads, and
 * whether this client may delegate (present an actor) or use an impersonation handle at all.
 */
export function checkExchangeRequest(request: ExchangeRequest, rights: ExchangeRights): void {
  for (const name of ['subject_token', 'subject_token_type'] as const) {
    if (typeof request[name] !== 'string' || request[name] === '') {
      throw new TokenExchangeRefusal('request', `missing required parameter '${name}'`);
    }
  }
  if (!SUBJECT_TYPES.has(request.subject_token_type as string)) {
    throw new TokenExchangeRefusal('request', 'unsupported subject_token_type');
  }
  const requested = request.requested_token_type;
  if (requested !== undefined && (typeof requested !== 'string' || !ISSUABLE_TYPES.has(requested))) {
    throw new TokenExchangeRefusal('request', 'unsupported requested_token_type');
  }
  if (request.subject_token_type === IMPERSONATION_TOKEN_TYPE) checkImpersonationRequest(request, rights);
  else checkActorParameters(request, rights);
}

/** §2.1: actor_token_type is required with an actor token and must not appear without one. */
function checkActorParameters(request: ExchangeRequest, rights: ExchangeRights): void {
  const { actor_token: token, actor_token_type: type } = request;
  if (token === undefined && type === undefined) return;
  if (typeof token !== 'string' || token === '') {
    throw new TokenExchangeRefusal('request', "actor_token_type was sent without 'actor_token'");
  }
  if (typeof type !== 'string' || type === '') {
    throw new TokenExchangeRefusal('request', "missing required parameter 'actor_token_type'");
  }
  if (!ACTOR_TYPES.has(type)) throw new TokenExchangeRefusal('request', 'unsupported actor_token_type');
  if (!rights.delegation) {
    throw new TokenExchangeRefusal('client', 'this client may not exchange with an actor token (delegation)');
  }
}

/**
 * An impersonation handle was issued to the operator who requested it, and the issued token's
 * `act` names that operator: an actor token could only contradict it, so none is taken.
 */
function checkImpersonationRequest(request: ExchangeRequest, rights: ExchangeRights): void {
  if (request.actor_token !== undefined || request.actor_token_type !== undefined) {
    throw new TokenExchangeRefusal(
      'request',
      'an impersonation handle already names its operator: actor_token is not accepted with it',
    );
  }
  if (!rights.impersonation) {
    throw new TokenExchangeRefusal('client', 'this client may not exchange impersonation handles');
  }
}

/**
 * The subject token must have been issued to the client that presents it, or to a client its
 * policy names (`token_exchange.subject_clients`): a service may only act downstream for the
 * front ends it was configured to serve. The actor token follows the same rule, so a client
 * cannot name as actor someone whose token it was never meant to hold.
 */
export function checkSubjectClient(
  tokenClientId: string,
  acceptedClients: readonly string[],
  role: 'subject' | 'actor' = 'subject',
): void {
  if (!acceptedClients.includes(tokenClientId)) {
    throw new TokenExchangeRefusal(role, `the ${role} token was issued to another client`);
  }
}

/**
 * RFC 8693 §2.1 `resource` and `audience` both name the target; Gatehouse identifies its APIs by
 * URI, so an audience is read as a resource indicator (RFC 8707). One token speaks for exactly one
 * API (its `aud`), so exactly one distinct target; a client with a single API may omit it.
 */
export function chooseResource(requested: readonly string[], allowed: readonly string[]): string {
  const targets = [...new Set(requested)];
  if (targets.length > 1) {
    throw new TokenExchangeRefusal('target', 'only one resource or audience may be requested');
  }
  const [target] = targets.length === 1 ? targets : allowed.length === 1 ? allowed : [];
  if (target === undefined) {
    throw new TokenExchangeRefusal('target', 'a resource or audience is required for this client');
  }
  if (!allowed.includes(target)) {
    throw new TokenExchangeRefusal('target', 'this client may not request tokens for that resource');
  }
  return target;
}

/**
 * Down-scoping only (RFC 8693 §2.1 `scope`, RFC 9700 §2.3 least privilege). An explicit request
 * must be held by the subject token and allowed to the client for the API; a scope outside either
 * is refused by name rather than dropped, so the client learns what it did not get. Without a
 * request the token keeps the subject's API scopes that the client may still ask for. OIDC scopes
 * (openid, email...) govern the ID token and userinfo, not an API, so they never reach the result.
 */
export function exchangedScope(options: {
  requested: readonly string[] | undefined;
  subject: readonly string[];
  allowed: readonly string[];
}): string[] {
  const held = new Set(options.subject);
  const allowed = new Set(options.allowed);
  const isApiScope = (scope: string) => !OIDC_SCOPES.has(scope);
  if (options.requested === undefined) {
    return [...held].filter((scope) => isApiScope(scope) && allowed.has(scope));
  }
  const requested = [...new Set(options.requested)];
  for (const scope of requested) {
    if (!held.has(scope)) {
      throw new TokenExchangeRefusal('scope', `the subject token does not hold the scope ${scope}`, scope);
    }
    if (isApiScope(scope) && !allowed.has(scope)) {
      throw new TokenExchangeRefusal('scope', `this client may not request the scope ${scope}`, scope);
    }
  }
  return requested.filter(isApiScope);
}

/**
 * Seconds the issued token lives: the usual access token lifetime, cut to the subject token's
 * remaining life. RFC 8693 §2.2 leaves the lifetime to the server; an exchange must never make
 * a token outlive the one it came from, or exchanging would become a way to extend a session.
 */
export function exchangedLifetime(ttl: number, subjectExp: number, now: number): number {
  const remaining = Math.floor(subjectExp - now);
  if (remaining <= 0) throw new TokenExchangeRefusal('subject', 'the subject token has expired');
  return Math.min(ttl, remaining);
}

/**
 * The subject token speaks for an organization only while the user may still act there: the
 * same rule that makes a grant's tokens fail once the membership ends (oidc/organization-claims).
 */
export function checkSubjectStanding(access: TenantAccess | undefined): TenantAccess {
  if (!access || access.denied) {
    throw new TokenExchangeRefusal('subject', 'the subject token’s organization access has ended');
  }
  return access;
}

/**
 * Switching to another organization needs an active membership in an active organization. One
 * answer whatever the cause, so the exchange does not tell whether an organization exists or is
 * suspended (the same rule as the organization prompt at sign-in).
 */
export function checkSwitchTarget(access: TenantAccess | undefined): TenantAccess {
  if (!access || access.denied) {
    throw new TokenExchangeRefusal('target', 'not a member of that organization');
  }
  return access;
}
