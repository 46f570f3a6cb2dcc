import type { IncomingMessage, ServerResponse } from 'node:http';
import type Koa from 'koa';
import type { Container } from './container.js';
import { magicAuthAllowed } from './domain/organizations/magic-auth-policy.js';
import { localPasswordRefusal } from './domain/organizations/organization-selection.js';
import { findOrganization } from './domain/organizations/tenancy-scope.js';
import { principalMay } from './domain/organizations/admin-principal.js';
import { clientAssertionKeyFrom } from './federation/oidc/client-assertion-key.js';
import QRCode from 'qrcode';
import { recordLockout } from './domain/mfa/factor-audit.js';
import { createSignInAttempts } from './http/sign-in-attempts.js';
import { createMfaStep } from './http/mfa/mfa-step.js';
import { createWebAuthnStep } from './http/mfa/webauthn-step.js';
import { adminRouter } from './http/admin/admin-router.js';
import { adminRoutes } from './http/admin/routes/index.js';
import { mcpRoutes } from './http/mcp/mcp-routes.js';
import { portalRouter } from './http/portal/portal-router.js';
import { bodyLimit } from './http/middleware/body-limit.js';
import { httpMetrics } from './http/middleware/metrics.js';
import { errorPages } from './http/middleware/errors.js';
import { rateLimit } from './http/middleware/rate-limit.js';
import { requestContext } from './http/middleware/request-context.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { signInScope } from './http/middleware/sign-in-scope.js';
import { createRequestedHosts, type RequestedHosts } from './http/middleware/custom-domain.js';
import { installBranding } from './http/routes/custom-domain-install.js';
import { accountRoutes } from './http/routes/account.js';
import { assetRoutes } from './http/routes/assets.js';
import { demoRoutes } from './http/routes/demo.js';
import { devOutboxRoutes } from './http/routes/dev-outbox.js';
import { healthRoutes } from './http/routes/health.js';
import { createFirstFactorCompletion } from './http/routes/first-factor.js';
import { interactionRoutes } from './http/routes/interaction.js';
import { supportSignInRoutes } from './http/routes/impersonation.js';
import { supportBanner } from './http/routes/impersonation-banner.js';
import { magicAuthRoutes } from './http/routes/magic-auth.js';
import { metricsRoutes } from './http/routes/metrics.js';
import { ssoRoutes } from './http/routes/sso.js';
import { scimRouter } from './http/scim/scim-router.js';
import { createOrganizationButton } from './http/sso/organization-button.js';
import { createRealmStep } from './http/sso/realm-step.js';
import { createSignInTickets } from './http/sso/sign-in-tickets.js';
import { createSsoCompletion } from './http/sso/sso-completion.js';
import { createUpstreamSignIn } from './http/sso/upstream-sign-in.js';
import { createSingleLogout } from './http/sso/single-logout.js';
import { singleLogoutRoutes } from './http/sso/single-logout-routes.js';
import { readAhead } from './oidc/adapter.js';
import { routesBesideProtocol } from './http/protocol-paths.js';
import { grantAccessReader } from './oidc/organization-claims.js';
import { upstreamLogoutStep } from './oidc/logout-upstream.js';
import type { OidcProvider } from './oidc/provider-factory.js';
import { installSessionPolicy } from './oidc/session-guard.js';
import { tokenNetworkPolicy } from './oidc/network-policy.js';
import { organizationTokenRateLimit } from './oidc/organization-token-rate-limit.js';
import { adminOrganizationRateLimit } from './http/middleware/organization-rate-limit.js';
import { createRiskGate } from './http/risk/risk-gate.js';
import { registerProviderMetrics } from './oidc/provider-metrics.js';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Builds the HTTP application from a container; it neither listens nor reads globals. Our
 * middleware and pages are installed on the OpenID Provider's own Koa app, ahead of its
 * protocol routes (discovery, /auth, /token, /jwks, /me, /session/end...), so each request
 * makes one Koa context.
 */
export function createApp(c: Container): RequestHandler {
  // The host the browser asked for, read before the provider host pins the issuer's (custom domains).
  const hosts = createRequestedHosts(c.env.TRUST_PROXY);
  c.providerHost.mount((provider) => install(provider, c, hosts));
  return (req, res) => {
    hosts.capture(req);
    return c.providerHost.handle(req, res);
  };
}

function install(app: Koa, c: Container, hosts: RequestedHosts): void {
  // First: it times and counts every request, whatever answers it.
  app.use(httpMetrics(c.metrics));
  registerProviderMetrics(app as OidcProvider, c.metrics);
  app.use(requestContext(c.logger));
  const provider = app as OidcProvider;
  app.use(
    signInScope({
      authorization: provider.pathFor('authorization'),
      token: provider.pathFor('token'),
      introspection: provider.pathFor('introspection'),
      userinfo: provider.pathFor('userinfo'),
    }),
  );
  app.use(securityHeaders(c.env.ISSUER.startsWith('https://')));
  app.use(bodyLimit(c.env.BODY_LIMIT_BYTES));
  app.use(
    supportBanner({
      sessionAccount: c.sessionAccount,
      sessions: c.sessions,
      support: c.supportSessions,
      render: c.render,
    }),
  );
  app.use(errorPages(c.render));
  const branding = installBranding(app, c, hosts);
  app.use(
    rateLimit(c.ephemeral, {
      name: 'token',
      perMinute: c.env.RATE_LIMIT_TOKEN_PER_MINUTE,
      key: (ctx) => (ctx.method === 'POST' && ctx.path.startsWith('/token') ? ctx.ip : undefined),
      mode: 'batched',
    }),
  );
  // Organizations' ip_allowlist and allowed_countries at every token issue (oidc/network-policy.ts).
  const readAccess = grantAccessReader(c.tenancy);
  const tokenStores = { durable: c.durable, shortLived: c.shortLived };
  app.use(
    tokenNetworkPolicy(app as OidcProvider, {
      check: c.risk.networkPolicy,
      grantOrganization: async (ctx, grantId) => (await readAccess(ctx, grantId))?.organizationId,
      readToken: (ctx, model, value) => readAhead(tokenStores, ctx, model, value),
      // With the subject's user, the access read the exchange makes next (it takes this one).
      organizationIdOf: async (ref, userId) =>
        userId
          ? (await c.db.access.forUserAhead(ref, userId))?.chain[0]?.id
          : (await findOrganization(c.db, ref))?.id,
    }),
  );
  // The plans' API rate limits for clients an organization owns (oidc/organization-token-rate-limit.ts).
  app.use(organizationTokenRateLimit(app as OidcProvider, c.apiRateLimiter));

  // Session policy (limits, timeouts, logout bookkeeping) ahead of the protocol routes and the
  // account page, which act on the browser's session.
  installSessionPolicy(app as OidcProvider, c.sessionPolicy, ['/account']);
  // RP-initiated logout of a session that came through SAML goes on to the IdP (Single Logout).
  const singleLogout = createSingleLogout({
    db: c.db,
    envelope: c.envelope,
    saml: c.saml,
    sessions: c.sessions,
    render: c.render,
    log: c.logger,
  });
  app.use(upstreamLogoutStep(app as OidcProvider, singleLogout.upstreamLogout));

  const tickets = createSignInTickets(c.ephemeral);
  const attempts = createSignInAttempts({
    throttle: c.signInThrottle,
    reportLockout: async (userId, attempt) => {
      await recordLockout(c.db, userId, attempt);
      await c.mfa.notices.notify(userId, attempt === 'second_factor' ? 'locked' : 'sign_in_locked');
    },
    recordFailure: (failure) => c.signInAudit.attemptFailed(failure),
  });
  const mfa = createMfaStep({
    interactions: c.interactions,
    store: c.ephemeral,
    render: c.render,
    requirement: c.mfa.requirement,
    totp: c.mfa.totp,
    recoveryCodes: c.mfa.recoveryCodes,
    enrolled: c.mfa.enrolled,
    emailCodes: c.mfa.emailCodes,
    notices: c.mfa.notices,
    attempts,
    qrCode: (text) => QRCode.toDataURL(text, { margin: 1, width: 200 }),
  });
  // Risk-based sign-in between the first factor and the second (http/risk/risk-gate.ts).
  const assessRisk = createRiskGate({
    assess: c.risk.assess,
    markFailed: c.risk.markFailed,
    render: c.render,
    secureCookies: c.env.ISSUER.startsWith('https://'),
  });
  const networkRefusal = async (organizationId: string, ip: string) =>
    (await c.risk.networkPolicy(organizationId, ip))?.description;
  const riskAssessedMfa: typeof mfa = {
    ...mfa,
    afterFirstFactor: (ctx, view, first) =>
      assessRisk(ctx, view, first, (assessed) => mfa.afterFirstFactor(ctx, view, assessed)),
  };
  const upstream = createUpstreamSignIn({
    db: c.db,
    envelope: c.envelope,
    upstreamOidc: c.upstreamOidc,
    saml: c.saml,
    samlMetadata: (connection) => c.samlMetadata(connection),
    tickets,
    clientAssertionKey: clientAssertionKeyFrom(() => c.signingKeys.signingSet()),
  });

  // Looked up by the path's first segment: a request is matched against its own module's paths.
  const modules = [
    healthRoutes(c.readiness),
    assetRoutes(c.viewsDir),
    branding.routes,
    // Ahead of the interaction pages: a pending support sign-in finishes the login itself.
    supportSignInRoutes({
      redeemTicket: c.impersonations.redeemTicket,
      isLive: c.impersonations.isLive,
      organizationIdOf: async (ref) => (await findOrganization(c.db, ref))?.id,
      support: c.supportSessions,
      interactions: c.interactions,
      sessionAccount: c.sessionAccount,
      sessions: c.sessions,
      store: c.ephemeral,
      render: c.render,
      secureCookies: c.env.ISSUER.startsWith('https://'),
    }),
    interactionRoutes({
      interactions: c.interactions,
      accounts: c.accounts,
      store: c.ephemeral,
      render: c.render,
      loginAttemptsPerMinute: c.env.RATE_LIMIT_LOGIN_PER_MINUTE,
      attempts,
      selectOrganization: c.selectOrganization,
      localPasswordRefusal: (email) => localPasswordRefusal(c.db, email),
      magicAuthAllowed: (email) => magicAuthAllowed(c.db, email),
      realmStep: createRealmStep(c.realm, upstream),
      mfa,
      assessRisk,
      networkRefusal,
      webauthn: createWebAuthnStep({
        interactions: c.interactions,
        store: c.ephemeral,
        render: c.render,
        webauthn: c.mfa.webauthn,
        notices: c.mfa.notices,
        recordFailure: (event) => c.signInAudit.failed(event),
      }),
      organizationButton: createOrganizationButton(c.db),
      brandRouted: branding.routed,
      sso: createSsoCompletion({
        interactions: c.interactions,
        tickets,
        signIn: (identity) => c.ssoSignIn.signIn(identity),
        accounts: c.accounts,
        selectOrganization: c.selectOrganization,
        render: c.render,
        mfa: riskAssessedMfa,
        recordFailure: (event) => c.signInAudit.failed(event),
        health: c.connectionHealth,
      }),
    }),
    magicAuthRoutes({
      interactions: c.interactions,
      store: c.ephemeral,
      render: c.render,
      codes: c.mfa.signInCodes,
      users: c.db.users,
      allowed: (email) => magicAuthAllowed(c.db, email),
      localPasswordRefusal: (email) => localPasswordRefusal(c.db, email),
      completeFirstFactor: createFirstFactorCompletion({
        interactions: c.interactions,
        selectOrganization: c.selectOrganization,
        render: c.render,
        mfa,
        assessRisk,
      }),
      attemptsPerMinute: c.env.RATE_LIMIT_LOGIN_PER_MINUTE,
      attempts,
    }),
    accountRoutes({
      sessionAccount: c.sessionAccount,
      sessions: c.sessions,
      selfService: c.mfa.selfService,
      notices: c.mfa.notices,
      store: c.ephemeral,
      render: c.render,
    }),
    ssoRoutes({
      issuer: c.env.ISSUER,
      db: c.db,
      envelope: c.envelope,
      upstream,
      saml: c.saml,
      render: c.render,
      recordFailure: (event) => c.signInAudit.failed(event),
      metrics: c.metrics,
      health: c.connectionHealth,
    }),
    singleLogoutRoutes({ singleLogout, render: c.render }),
    portalRouter({
      issuer: c.env.ISSUER,
      render: c.render,
      db: c.db,
      admin: c.admin,
      portal: c.portal,
      secureCookies: c.env.ISSUER.startsWith('https://'),
      container: c,
    }),
  ];
  if (c.env.METRICS_TOKEN) modules.push(metricsRoutes({ token: c.env.METRICS_TOKEN, metrics: c.metrics }));
  if (c.demo) modules.push(demoRoutes(c.env.ISSUER, c.demo.relyingParty, c.render));
  // Never in production: the outbox holds other people's sign-in codes.
  if (c.env.NODE_ENV !== 'production') modules.push(devOutboxRoutes(c.outbox, c.render));
  modules.push(
    scimRouter({
      issuer: c.env.ISSUER,
      findDirectoryByTokenHash: (hash) => c.db.directories.findByTokenHash(hash),
      users: c.directoryUsers,
      groups: c.directoryGroups,
      metrics: c.metrics,
      plan: { allows: c.entitlements.allows, limiter: c.apiRateLimiter },
    }),
    adminRouter({
      routes: adminRoutes(c.admin),
      authenticate: c.admin.apiKeys.authenticate,
      // A read-only key reads (GET) and changes nothing.
      authorize: principalMay,
      afterAuthentication: [adminOrganizationRateLimit(c.apiRateLimiter)],
      store: c.ephemeral,
      envelope: c.envelope,
      logger: c.logger,
    }),
    mcpRoutes({
      issuer: c.env.ISSUER,
      signingSet: () => c.signingKeys.signingSet(),
      db: c.db,
      tenancy: c.tenancy,
      services: c.admin,
      maxBodyBytes: c.env.BODY_LIMIT_BYTES,
      logger: c.logger,
    }),
  );
  app.use(routesBesideProtocol(modules, (route) => (app as OidcProvider).pathFor(route)));
}
