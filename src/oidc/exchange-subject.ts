import type { KoaContextWithOIDC } from 'oidc-provider';
import {
  ImpersonationRefusal,
  type ImpersonationGrant,
} from '../domain/impersonation/impersonation-grant.js';
import { impersonatedAccess } from '../domain/impersonation/impersonation-scope.js';
import { exchangedActor } from '../domain/tokens/actor-claim.js';
import type { ExchangePolicy } from '../domain/tokens/client-exchange-policy.js';
import { exchangeOrganization } from '../domain/tokens/exchange-organization.js';
import { checkSubjectClient, TokenExchangeRefusal } from '../domain/tokens/token-exchange-policy.js';
import type { IssuedClaims } from './organization-claims.js';
import type { ExchangeParams, TokenExchangeOptions } from './token-exchange.js';

/** Whom an exchanged token is for, and everything that bounds it. */
export interface ExchangeSubject {
  userId: string;
  /** Scopes the subject holds: the exchange may narrow them, never widen them. */
  scopes: readonly string[];
  /** The latest expiry allowed, in seconds since the epoch. */
  exp: number;
  claims: IssuedClaims;
  /** The client the subject token was issued to (absent for an impersonation handle). */
  subjectClientId?: string | undefined;
}

/** Checks an impersonation handle and starts the impersonation; throws TokenExchangeRefusal. */
export type ImpersonationRedeemer = (handle: string) => Promise<ImpersonationGrant>;

type Context = KoaContextWithOIDC & { oidc: { params?: ExchangeParams } };
const param = (ctx: Context, name: keyof ExchangeParams) => {
  const value = ctx.oidc.params?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A user's token, possibly from another client the policy names, with an optional actor
 * (delegation): the actor becomes the `act`, the subject's own `act` nested inside it, and the
 * result lives no longer than either token.
 */
export async function delegatedSubject(
  ctx: Context,
  options: TokenExchangeOptions,
  policy: ExchangePolicy,
): Promise<ExchangeSubject> {
  const subject = await options.readSubjectToken(ctx, param(ctx, 'subject_token')!);
  checkSubjectClient(subject.clientId, policy.subjectClients);
  const actorValue = param(ctx, 'actor_token');
  const actor = actorValue
    ? await options.readActorToken(ctx, actorValue, param(ctx, 'actor_token_type')!)
    : undefined;
  if (actor) checkSubjectClient(actor.clientId, policy.subjectClients, 'actor');
  const access = await exchangeOrganization(options.tenancy, {
    userId: subject.userId,
    subject: subject.organization,
    organization: param(ctx, 'organization'),
    partner: { ip: ctx.ip, amr: subject.amr },
  });
  return {
    userId: subject.userId,
    scopes: subject.scopes,
    exp: Math.min(subject.exp, actor?.exp ?? Infinity),
    claims: { access, act: exchangedActor(actor?.actor, subject.act) },
    subjectClientId: subject.clientId,
  };
}

/**
 * A support operator's approved impersonation: the target user in the impersonation's
 * organization only, with the permissions the approval allowed that the user still holds, the
 * operator as `act`, and never past the impersonation's end. The scopes it may carry are its
 * permissions, so a read-only impersonation yields no API scope either.
 */
export async function impersonatedSubject(
  ctx: Context,
  options: TokenExchangeOptions,
): Promise<ExchangeSubject> {
  const grant = await options.redeemImpersonation(param(ctx, 'subject_token')!).catch((error: unknown) => {
    if (error instanceof ImpersonationRefusal) throw new TokenExchangeRefusal('subject', error.message);
    throw error;
  });
  const standing = await options.tenancy.forUser(grant.organizationId, grant.userId);
  const organization = param(ctx, 'organization');
  if (
    organization !== undefined &&
    organization !== grant.organizationId &&
    organization !== standing?.slug
  ) {
    throw new TokenExchangeRefusal('target', 'an impersonation is for its own organization only');
  }
  if (!standing || standing.denied) {
    throw new TokenExchangeRefusal('subject', 'the impersonated user may no longer act in that organization');
  }
  const access = impersonatedAccess(grant, standing);
  return {
    userId: grant.userId,
    scopes: access.permissions,
    exp: Math.floor(grant.endsAt.getTime() / 1000),
    claims: {
      access,
      act: { sub: grant.operator },
      impersonation: { id: grant.id, read_only: grant.readOnly },
    },
  };
}
