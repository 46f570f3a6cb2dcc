import type { Context } from 'koa';
import type { MfaFactorKind } from '../../domain/mfa/mfa-policy.js';
import type { SelectOrganization } from '../../domain/organizations/organization-selection.js';
import type { UserRecord } from '../../domain/ports/repositories.js';
import type { InteractionView, Interactions, SignInMethod } from '../../oidc/interactions.js';
import type { MfaStep } from '../mfa/mfa-step.js';

/**
 * What follows a local first factor (a password, or an emailed code with Magic Auth): the
 * organization, then the second factor its policy asks for. One path for both, so a new first
 * factor cannot skip an organization's MFA or access checks.
 */
export function createFirstFactorCompletion(deps: {
  interactions: Interactions;
  selectOrganization: SelectOrganization;
  mfa: Pick<MfaStep, 'afterFirstFactor'>;
}) {
  return async (
    ctx: Context,
    view: InteractionView,
    user: UserRecord,
    method: SignInMethod,
    usedFactors?: MfaFactorKind[],
  ): Promise<void> => {
    // Most sign-ins settle the organization here, saving the organization prompt's round trip.
    const selection = await deps.selectOrganization(user, view.requestedOrganization ?? undefined);
    if (selection.kind === 'denied') {
      await deps.interactions.abort(ctx.req, ctx.res, selection.description);
      ctx.respond = false;
      return;
    }
    const organization = selection.kind === 'chosen' ? { id: selection.organizationId } : undefined;
    await deps.mfa.afterFirstFactor(ctx, view, {
      userId: user.id,
      email: user.email,
      method,
      organization,
      usedFactors,
    });
  };
}
export type CompleteFirstFactor = ReturnType<typeof createFirstFactorCompletion>;
