import type { LoginHints, RoutingDecision } from '../../domain/realm-discovery/route-login.js';
import type { InteractionView } from '../../oidc/interactions.js';
import { UpstreamSignInError, type UpstreamSignIn } from './upstream-sign-in.js';

export interface RealmDiscovery {
  decide(email: string | undefined, hints: LoginHints): Promise<RoutingDecision>;
}

/**
 * What the sign-in page does next: the IdP, or the local path. A routing refusal also takes the
 * local path, where the email's domain policy and the organization selection refuse in their own
 * words (a routing reason can name other organizations: it goes to the log only). `refused` is
 * an IdP that cannot be reached.
 */
export type RealmStep =
  { kind: 'upstream'; url: string } | { kind: 'local' } | { kind: 'refused'; message: string };

type Log = (fields: Record<string, unknown>, message: string) => void;

export const hintsOf = (view: InteractionView): LoginHints => ({
  ...(view.requestedOrganization ? { organization: view.requestedOrganization } : {}),
  ...(view.connectionHint ? { connection: view.connectionHint } : {}),
  ...(view.loginHint ? { loginHint: view.loginHint } : {}),
  ...(view.domainHint ? { domainHint: view.domainHint } : {}),
});

export const hasHints = (hints: LoginHints) => Object.keys(hints).length > 0;

/**
 * Home realm discovery for one interaction: the decision (domain/realm-discovery), then the
 * redirect to the chosen connection's IdP, with the email as its login hint.
 */
export function createRealmStep(realm: RealmDiscovery, upstream: UpstreamSignIn) {
  return async (
    view: InteractionView,
    email: string | undefined,
    hints: LoginHints,
    log: Log,
  ): Promise<RealmStep> => {
    const decision = await realm.decide(email, hints);
    log({ event: 'login.routed', outcome: decision.kind, reason: decision.reason }, 'home realm decided');
    if (decision.kind !== 'connection') return { kind: 'local' };
    try {
      const loginHint = email ?? hints.loginHint;
      return { kind: 'upstream', url: await upstream.start(view.uid, decision.connectionId, loginHint) };
    } catch (error) {
      if (error instanceof UpstreamSignInError) return { kind: 'refused', message: error.publicMessage };
      log({ event: 'login.upstream_unreachable', err: error }, 'could not start the upstream sign-in');
      return {
        kind: 'refused',
        message: 'Your organization’s identity provider cannot be reached right now. Try again shortly.',
      };
    }
  };
}
export type RealmStepper = ReturnType<typeof createRealmStep>;
