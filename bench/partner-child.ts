import { startChild, type RunningChild, type RunningTarget } from './child.js';
import { PARTNER_ENV, type PartnerPlan } from './sso.js';

/**
 * Starts the partner IdP child (partner-idp.ts) as planned, after Gatehouse has seeded its SSO
 * connection: the partner's one redirect URI is that connection's callback, whose path holds the
 * connection id the seeding just made.
 */
export async function startPartner(
  gatehouse: RunningTarget,
  plan: PartnerPlan,
  profile: boolean,
): Promise<RunningChild<'partner'>> {
  const seeding = gatehouse.ssoSeeding;
  if (!seeding?.oidcConnectionId) throw new Error('gatehouse did not report its OIDC connection');
  const partner = await startChild(
    'partner',
    './partner-idp.ts',
    {
      PORT: String(plan.port),
      [PARTNER_ENV.clientId]: plan.clientId,
      [PARTNER_ENV.clientSecret]: plan.clientSecret,
      [PARTNER_ENV.redirectUri]: `${gatehouse.issuer}/sso/oidc/${seeding.oidcConnectionId}/callback`,
    },
    profile,
  );
  if (partner.issuer !== plan.issuer)
    throw new Error(`the partner answers as ${partner.issuer}, not ${plan.issuer}`);
  return partner;
}
