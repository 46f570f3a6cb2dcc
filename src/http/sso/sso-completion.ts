import type { Context } from 'koa';
import type { LocalAccounts } from '../../domain/accounts/local-accounts.js';
import type { SelectOrganization } from '../../domain/organizations/organization-selection.js';
import type { SignInFailed } from '../../domain/audit/sign-in-audit.js';
import type { HealthRecorder } from '../../domain/connection-health/health-recorder.js';
import type { UpstreamIdentity } from '../../domain/provisioning/upstream-identity.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { InteractionView, Interactions, SignInMethod } from '../../oidc/interactions.js';
import { IDP_INITIATED_COOKIE } from './idp-initiated.js';
import type { MfaStep } from '../mfa/mfa-step.js';
import { sendPage } from '../views.js';
import type { SignInTickets } from './sign-in-tickets.js';

/** The provisioning outcome the completion acts on (domain/provisioning/sso-sign-in.ts). */
export type SsoOutcome =
  | { kind: 'signed_in'; userId: string; organizationId: string }
  | { kind: 'pending_approval'; userId: string; organizationId: string }
  | { kind: 'refused'; code: string; reason: string };

export interface SsoCompletionDeps {
  interactions: Interactions;
  tickets: SignInTickets;
  signIn(identity: UpstreamIdentity): Promise<SsoOutcome>;
  accounts: LocalAccounts;
  selectOrganization: SelectOrganization;
  render: RenderPage;
  mfa: MfaStep;
  /** Records a refused or held sign-in in the audit log (domain/audit/sign-in-audit.ts). */
  recordFailure?(event: SignInFailed): Promise<void>;
  /** The connection's last success or refusal (domain/connection-health/health-recorder.ts). */
  health?: Pick<HealthRecorder, 'signInSucceeded' | 'signInFailed'>;
}

const EXPIRED = 'This sign-in has expired or was already completed. Start again from the application.';
const PENDING =
  'Your account was created. An administrator of your organization must approve it before you can sign in.';

// An IdP that says nothing about how the user signed in still signed them in elsewhere: `fed`.
const amrOf = (identity: UpstreamIdentity) =>
  identity.authenticationMethods.length ? identity.authenticationMethods : ['fed'];

/** What SAML Single Logout will name: the NameID (the identity's subject) and the IdP session. */
const upstreamOf = (identity: UpstreamIdentity): Pick<SignInMethod, 'upstream'> =>
  identity.protocol === 'saml'
    ? { upstream: { connectionId: identity.connectionId, nameId: identity.subject, ...identity.samlSession } }
    : {};

/**
 * The last hop of an upstream sign-in, back inside the interaction (whose cookie proves this is
 * the browser that started it): provision the user (JIT), then finish the login for the
 * connection's organization, recording the connection (`idp`) and the methods (`amr`).
 */
export function createSsoCompletion(deps: SsoCompletionDeps) {
  const failure = (ctx: Context, title: string, description: string, status: number) =>
    sendPage(ctx, deps.render, 'error', { title, description, requestId: ctx.state.requestId }, status);

  // Best effort: the refusal page must not become a server error.
  const recordRefusal = (
    ctx: Context,
    identity: UpstreamIdentity,
    outcome: Exclude<SsoOutcome, { kind: 'signed_in' }>,
  ) =>
    deps
      .recordFailure?.(
        outcome.kind === 'refused'
          ? {
              reason: 'provisioning_refused',
              detail: outcome.code,
              connectionId: identity.connectionId,
              ip: ctx.ip,
            }
          : {
              reason: 'pending_approval',
              userId: outcome.userId,
              organizationId: outcome.organizationId,
              connectionId: identity.connectionId,
              ip: ctx.ip,
            },
      )
      .catch((error: unknown) => {
        ctx.state.log?.error({ event: 'audit.failed', err: error }, 'refused sign-in not recorded');
      });

  // Best effort, like the audit of a refusal: health is for the administrator's page only.
  const recordHealth = (ctx: Context, identity: UpstreamIdentity, outcome: SsoOutcome) => {
    const recorded =
      outcome.kind === 'signed_in'
        ? deps.health?.signInSucceeded(identity)
        : outcome.kind === 'refused'
          ? deps.health?.signInFailed(identity.connectionId, outcome.code)
          : undefined;
    return recorded?.catch((error: unknown) => {
      ctx.state.log?.warn({ err: error }, 'connection health not recorded');
    });
  };

  const finish = async (ctx: Context, view: InteractionView, identity: UpstreamIdentity) => {
    const outcome = await deps.signIn(identity);
    await recordHealth(ctx, identity, outcome);
    const log = ctx.state.log;
    log?.info(
      { event: `login.sso.${outcome.kind}`, connectionId: identity.connectionId, ...outcome },
      'upstream sign-in provisioned',
    );
    if (outcome.kind === 'refused' || outcome.kind === 'pending_approval') {
      await recordRefusal(ctx, identity, outcome);
      if (outcome.kind === 'refused') failure(ctx, 'Sign-in refused', outcome.reason, 403);
      else failure(ctx, 'Waiting for approval', PENDING, 403);
      return;
    }
    const user = await deps.accounts.findById(outcome.userId);
    if (!user) throw new Error(`provisioned user ${outcome.userId} is gone`);
    // An application that asked for an organization gets it only if it is the IdP's organization,
    // or one that admits the IdP's organization's members as partners (domain/federations): the
    // rule's network is checked here, the MFA it asks for by the second-factor step.
    let organizationId = outcome.organizationId;
    if (view.requestedOrganization) {
      const selection = await deps.selectOrganization(user, view.requestedOrganization, { ip: ctx.ip });
      const viaIdp =
        selection?.kind === 'chosen' &&
        (selection.organizationId === outcome.organizationId ||
          selection.homeOrganizationId === outcome.organizationId);
      if (!viaIdp) {
        await deps.interactions.abort(
          ctx.req,
          ctx.res,
          selection?.kind === 'denied' && selection.page
            ? selection.description
            : 'You signed in with an organization other than the one this application asked for.',
        );
        ctx.respond = false;
        return;
      }
      // A partner acts for the organization asked for, under its trust rule (MFA it asks included).
      organizationId = selection.organizationId ?? organizationId;
    }
    await deps.mfa.afterFirstFactor(ctx, view, {
      userId: user.id,
      email: user.email,
      method: { amr: amrOf(identity), connectionId: identity.connectionId, ...upstreamOf(identity) },
      organization: { id: organizationId },
    });
  };

  return {
    /** The browser back from its IdP, with the ticket its interaction's sign-in left. */
    async complete(ctx: Context, ticketId: string): Promise<void> {
      const view = await deps.interactions.load(ctx.req, ctx.res);
      const ticket = ticketId ? await deps.tickets.takeTicket(ticketId) : undefined;
      if (!ticket || ticket.uid !== view.uid || ctx.params.uid !== view.uid) {
        failure(ctx, 'Sign-in expired', EXPIRED, 400);
        return;
      }
      await finish(ctx, view, ticket.identity);
    },

    /**
     * An IdP-initiated SAML sign-in arriving in the application's own sign-in: true when the
     * cookie held a ticket for this client and the sign-in was finished with it.
     */
    async resumeIdpInitiated(ctx: Context, view: InteractionView): Promise<boolean> {
      const ticketId = ctx.cookies.get(IDP_INITIATED_COOKIE);
      if (!ticketId) return false;
      ctx.cookies.set(IDP_INITIATED_COOKIE, null, { path: '/interaction' });
      const ticket = await deps.tickets.takeTicket(ticketId);
      if (ticket?.uid !== null || ticket.clientId !== view.clientId) return false;
      await finish(ctx, view, ticket.identity);
      return true;
    },
  };
}
export type SsoCompletion = ReturnType<typeof createSsoCompletion>;
