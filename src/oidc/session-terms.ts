import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { DEFAULT_SESSION_POLICY } from '../domain/sessions/session-policy.js';
import { reauthenticationDue, remainingMs, type SessionTerms } from '../domain/sessions/session-liveness.js';

/** Where the session guard leaves the terms of the request's session (see session-guard.ts). */
type WithTerms = { state?: { sessionTerms?: SessionTerms } };

export const setSessionTerms = (ctx: WithTerms, terms: SessionTerms | undefined): void => {
  if (ctx.state && terms) ctx.state.sessionTerms = terms;
};
const termsOf = (ctx: WithTerms) => ctx.state?.sessionTerms;

/**
 * oidc-provider's `ttl.Session`: each save of the session (every request that uses it) gives
 * the stored session and its cookie the time left to the absolute end, or one idle timeout if
 * that is shorter, so neither outlives the policy and refresh tokens bound to the session die
 * with it on every instance. Without known terms (a session saved outside a sign-in, such as a
 * logout's state): the default lifetime.
 */
export function sessionTtl(now: () => Date) {
  return (ctx: WithTerms): number => {
    const terms = termsOf(ctx);
    const ms = terms ? remainingMs(terms, now()) : DEFAULT_SESSION_POLICY.lifetimeSeconds * 1000;
    return Math.max(1, Math.ceil(ms / 1000));
  };
}

/**
 * `reauthentication_interval`: like max_age, but set by the organization's policy. Past it the
 * login prompt comes back (from the first factor) within a live session; a login made in this
 * very interaction counts as fresh.
 */
export function reauthenticationCheck(now: () => Date) {
  return new interactionPolicy.Check(
    'reauthentication_due',
    'the organization asks its users to sign in again',
    async (ctx: KoaContextWithOIDC) => {
      const terms = termsOf(ctx as WithTerms);
      if (!ctx.oidc.session?.accountId || !terms || ctx.oidc.result?.login) return false;
      return reauthenticationDue(terms, now());
    },
  );
}

/** The interaction policy with the re-authentication check in its login prompt. */
export function withReauthentication<P extends interactionPolicy.Prompt[]>(policy: P, now: () => Date): P {
  policy.find((prompt) => prompt.name === 'login')!.checks.add(reauthenticationCheck(now));
  return policy;
}
