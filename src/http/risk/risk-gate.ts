import type { Context } from 'koa';
import type { Assessment, SignInToAssess } from '../../domain/risk/risk-assessor.js';
import type { RenderPage } from '../../lib/render-page.js';
import type { InteractionView } from '../../oidc/interactions.js';
import type { FirstFactor } from '../mfa/mfa-step.js';
import { sendPage } from '../views.js';
import { deviceCookie } from './device-cookie.js';

export interface RiskGateDeps {
  assess(sign: SignInToAssess): Promise<Assessment>;
  markFailed(assessmentId: string): Promise<void>;
  render: RenderPage;
  /** Whether the issuer is https (the device cookie is then Secure). */
  secureCookies: boolean;
}

const DENIED =
  'This sign-in was refused for your security. If this was you, try again from your usual device ' +
  'and network, or ask your administrator.';

/**
 * Risk-based sign-in between the first factor and the second: scores the sign-in (domain/risk),
 * then lets it on, asks for a second factor whatever the policy (`mfa`), or refuses it with a page
 * (`deny`, HTTP 403) that names no signal: the person at the keyboard may be the attacker. The
 * assessment's id rides on the sign-in method, so its audit record and outcome name it.
 */
export function createRiskGate(deps: RiskGateDeps) {
  return async (
    ctx: Context,
    _view: InteractionView,
    first: FirstFactor,
    proceed: (first: FirstFactor) => Promise<void>,
  ): Promise<void> => {
    const device = deviceCookie(ctx, deps.secureCookies);
    const { record } = await deps.assess({
      user: { id: first.userId, email: first.email },
      organizationId: first.organization?.id,
      ip: ctx.ip,
      deviceHash: device.hash,
      deviceCookieIssued: device.issued,
    });
    ctx.state.log?.info(
      {
        event: 'login.risk_assessed',
        assessmentId: record.id,
        decision: record.decision,
        score: record.score,
      },
      'sign-in risk assessed',
    );
    if (record.decision === 'deny') {
      await deps.markFailed(record.id);
      sendPage(
        ctx,
        deps.render,
        'error',
        { title: 'Sign-in refused', description: DENIED, requestId: ctx.state.requestId },
        403,
      );
      return;
    }
    await proceed({
      ...first,
      method: { ...first.method, riskAssessmentId: record.id },
      ...(record.decision === 'mfa' ? { riskStepUp: true } : {}),
    });
  };
}
export type RiskGate = ReturnType<typeof createRiskGate>;
