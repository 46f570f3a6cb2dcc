import Provider, { type FindAccount } from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import type { RenderPage } from '../lib/render-page.js';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import type { TokenIssued } from '../domain/audit/sign-in-audit.js';
import type { ImpersonationGrants } from '../domain/impersonation/impersonation-grant.js';
import type { ExchangeAudit } from '../domain/tokens/exchange-audit.js';
import { createActorTokenReader } from './actor-token.js';
import { createAdapterClass, type AdapterStores } from './adapter.js';
import { rotationSettlement } from './refresh-rotation.js';
import { organizationGrantLoader } from './grant-loader.js';
import {
  grantAccessReader,
  type IssuedTokenAccess,
  organizationIntrospectionPolicy,
  organizationTokenClaims,
  withOrganizationClaims,
} from './organization-claims.js';
import { jwtIntrospection } from './jwt-introspection.js';
import { interactionPolicyWithOrganization } from './organization-prompt.js';
import { createOwnJwtVerifier } from './own-jwt.js';
import {
  createSupportLookup,
  supportBoundResourceServers,
  type SessionImpersonationReader,
} from './support-claims.js';
import { pages } from './pages.js';
import { introspectionAllowed, protocolPolicy } from './protocol-policy.js';
import { resourceIndicatorsFeature } from './resource-servers.js';
import { createSubjectTokenReader } from './subject-token.js';
import { registerTokenExchange } from './token-exchange.js';
import { rememberBuiltClients } from './client-lookup.js';
import { registerTokenIssueEvents } from './token-issue-events.js';
import { unauthorizedClientErrors } from './unauthorized-client.js';
import { sessionTtl, withReauthentication } from './session-terms.js';

export interface ProviderOptions {
  issuer: string;
  jwks: PrivateJwk[];
  cookieKeys: string[];
  stores: AdapterStores;
  findAccount: FindAccount;
  tenancy: OrganizationAccess;
  renderPage: RenderPage;
  accessTokenTtl: number;
  /** Support impersonation: handles redeemed by token exchange, liveness for introspection. */
  impersonations: Pick<ImpersonationGrants, 'redeem' | 'isLive'>;
  /** The support impersonation a browser session was signed in under (the session registry). */
  sessionImpersonation: SessionImpersonationReader;
  /** Appends each token exchange to the audit log. */
  recordExchange: ExchangeAudit;
  /** Told of each token response other than an exchange, for the audit log. */
  onTokenIssued?: (event: TokenIssued) => void;
  /** The clock of session policy (session lifetimes, re-authentication); the system's when absent. */
  now?: () => Date;
}

export type OidcProvider = InstanceType<typeof Provider>;

/**
 * One configured oidc-provider: the protocol policy over our stores, keys, accounts and pages,
 * with tenancy: every user token speaks for at most one organization (see organization-*.ts).
 */
export function createProvider(options: ProviderOptions): OidcProvider {
  const policy = protocolPolicy(options.accessTokenTtl);
  const page = pages(options.renderPage);
  const readAccess = grantAccessReader(options.tenancy);
  const issuedAccess: IssuedTokenAccess = new WeakMap();
  const now = options.now ?? (() => new Date());
  const verify = createOwnJwtVerifier({ issuer: options.issuer, jwks: options.jwks });
  const support = createSupportLookup(options.sessionImpersonation, options.impersonations.isLive);
  const resourceIndicators = resourceIndicatorsFeature(options.accessTokenTtl);
  const introspectionPolicy = organizationIntrospectionPolicy(
    readAccess,
    introspectionAllowed as never,
    options.impersonations.isLive,
  );
  const provider = new Provider(options.issuer, {
    ...policy,
    adapter: createAdapterClass(options.stores, () => Provider.ctx),
    findAccount: withOrganizationClaims(options.findAccount, readAccess, support),
    loadExistingGrant: organizationGrantLoader(readAccess, options.tenancy),
    extraTokenClaims: organizationTokenClaims(readAccess, issuedAccess, support) as never,
    interactions: {
      ...policy.interactions,
      policy: withReauthentication(interactionPolicyWithOrganization(readAccess), now),
    },
    ttl: { ...policy.ttl, Session: sessionTtl(now) as never },
    jwks: { keys: options.jwks as never },
    cookies: { keys: options.cookieKeys },
    features: {
      ...policy.features,
      introspection: {
        enabled: true,
        allowedPolicy: introspectionPolicy,
      } as never,
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      resourceIndicators: {
        ...resourceIndicators,
        getResourceServerInfo: supportBoundResourceServers(
          resourceIndicators.getResourceServerInfo as never,
          support,
        ),
      } as never,
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: page.logoutSource,
        postLogoutSuccessSource: page.postLogoutSuccessSource,
      },
    },
    renderError: page.renderError,
  });
  // Gatehouse's own grant, not part of the shared protocol policy (the bench baselines lack it).
  registerTokenExchange(provider, {
    readSubjectToken: createSubjectTokenReader({ verify, readAccess }),
    readActorToken: createActorTokenReader({ verify }),
    redeemImpersonation: options.impersonations.redeem,
    tenancy: options.tenancy,
    getResourceServerInfo: resourceIndicatorsFeature(options.accessTokenTtl).getResourceServerInfo,
    issuedAccess,
    accessTokenTtl: options.accessTokenTtl,
    recordExchange: options.recordExchange,
  });
  rememberBuiltClients(provider, options.stores.clients);
  provider.use(unauthorizedClientErrors());
  provider.use(rotationSettlement(provider.pathFor('token')));
  if (options.onTokenIssued) registerTokenIssueEvents(provider, options.onTokenIssued);
  provider.use(jwtIntrospection({ verify, allowedPolicy: introspectionPolicy, tenancy: options.tenancy }));
  return provider;
}
