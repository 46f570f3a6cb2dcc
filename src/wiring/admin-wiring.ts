import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { SignInThrottle } from '../domain/accounts/sign-in-throttle.js';
import {
  createCustomDomainsAdmin,
  type CustomDomainsAdmin,
} from '../domain/branding/custom-domains-admin.js';
import type { FederationsAdmin } from '../domain/federations/federations-admin.js';
import { endSupportSessions } from '../domain/impersonation/support-session.js';
import { createAdminServices, type AdminServices } from '../domain/organizations/admin-services.js';
import type { DnsResolver } from '../domain/organizations/domain-verification.js';
import type { Database } from '../domain/ports/repositories.js';
import type { RiskAssessmentsAdmin } from '../domain/risk/risk-assessments-admin.js';
import { createSessionsAdmin, type SessionsAdmin } from '../domain/sessions/sessions-admin.js';
import { connectionCertificates } from '../federation/saml/connection-certificates.js';
import { generateSpCredential } from '../federation/saml/index.js';
import type { Envelope } from '../lib/crypto/envelope.js';
import type { PasswordHasher } from '../lib/crypto/password.js';
import type { SessionServices } from '../oidc/session-services.js';
import type { EntitlementServices } from './entitlement-wiring.js';
import { wireFederations } from './federation-wiring.js';
import type { PortalServices } from './portal-wiring.js';
import type { RiskServices } from './risk-wiring.js';

/** What the admin API, the CLI and the MCP server act through. */
export type AdminSurface = AdminServices & {
  sessions: SessionsAdmin;
  freeze: EntitlementServices['organizationFreeze'];
  entitlements: EntitlementServices['entitlements'];
  customDomains: CustomDomainsAdmin;
  federations: FederationsAdmin;
  riskAssessments: RiskAssessmentsAdmin;
  portalLinks: PortalServices['linksAdmin'];
};

export function wireAdmin(deps: {
  env: Pick<Env, 'NODE_ENV' | 'ISSUER'>;
  db: Database;
  envelope: Envelope;
  hasher: PasswordHasher;
  dns: DnsResolver;
  throttle: SignInThrottle;
  sessionPolicy: SessionServices;
  portal: PortalServices;
  risk: RiskServices;
  entitlementServices: EntitlementServices;
  logger: Logger;
  now: () => Date;
}): AdminSurface {
  const { db, sessionPolicy, entitlementServices } = deps;
  return {
    ...createAdminServices(db, {
      envelope: deps.envelope,
      hasher: deps.hasher,
      dns: deps.dns,
      spCredential: generateSpCredential,
      throttle: deps.throttle,
      allowPlainHttpWebhooks: deps.env.NODE_ENV !== 'production',
      endImpersonationSessions: (record) => endSupportSessions(sessionPolicy.sessions, record),
      certificatesOf: connectionCertificates,
    }),
    sessions: createSessionsAdmin(db, sessionPolicy.sessions),
    portalLinks: deps.portal.linksAdmin,
    riskAssessments: deps.risk.admin,
    freeze: entitlementServices.organizationFreeze,
    federations: wireFederations(db, sessionPolicy, deps.logger, deps.now),
    entitlements: entitlementServices.entitlements,
    customDomains: createCustomDomainsAdmin(db, {
      dns: deps.dns,
      now: deps.now,
      issuerHost: new URL(deps.env.ISSUER).host,
      allows: (organizationId, feature) => entitlementServices.entitlements.allows(organizationId, feature),
    }),
  };
}
