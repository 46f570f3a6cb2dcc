import type { Context } from 'koa';
import type { MfaFactorKind } from '../../domain/mfa/mfa-policy.js';
import type { SelectOrganization } from '../../domain/organizations/organization-selection.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import type { InteractionView, Interactions, SignInMethod } from '../../oidc/interactions.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { MfaStep } from '../mfa/mfa-step.js';
import { sendPage } from '../views.js';
import type { RiskGate } from '../risk/risk-gate.js';

/**
 * What follows a local first factor (a password, or an emailed code with Magic Auth): the
 * organization, then the second factor its policy asks for. One path for both, so a new first
 * factor cannot skip an organization's MFA or access checks.
 */
export function createFirstFactorCompletion(deps: {
  interactions: Interactions;
  selectOrganization: SelectOrganization;
  mfa: Pick<MfaStep, 'afterFirstFactor'>;
  /** Pages for refusals the user must read here (`page` denials) rather than at the application. */
  render?: RenderPage;
  /** Risk-based sign-in: scores the sign-in before the second factor (http/risk/risk-gate.ts). */
  assessRisk?: RiskGate;
}) {
  return async (
    ctx: Context,
    view: InteractionView,
    user: UserRecord,
    method: SignInMethod,
    usedFactors?: MfaFactorKind[],
  ): Promise<void> => {
    // Most sign-ins settle the organization here, saving the organization prompt's round trip.
    // The address: a partner's trust rule may limit it (domain/federations); its MFA comes next.
    const selection = await deps.selectOrganization(user, view.requestedOrganization ?? undefined, {
      ip: ctx.ip,
    });
    if (selection.kind === 'denied' && selection.page && deps.render) {
      sendPage(
        ctx,
        deps.render,
        'error',
        { title: 'Sign-in refused', description: selection.description },
        403,
      );
      return;
    }
    if (selection.kind === 'denied') {
      await deps.interactions.abort(ctx.req, ctx.res, selection.description);
      ctx.respond = false;
      return;
    }
    const organization = selection.kind === 'chosen' ? { id: selection.organizationId } : undefined;
    const first = { userId: user.id, email: user.email, method, organization, usedFactors };
    if (!deps.assessRisk) return deps.mfa.afterFirstFactor(ctx, view, first);
    await deps.assessRisk(ctx, view, first, (assessed) => deps.mfa.afterFirstFactor(ctx, view, assessed));
  };
}
export type CompleteFirstFactor = ReturnType<typeof createFirstFactorCompletion>;
