import Provider, { type FindAccount } from 'oidc-provider';
import type { OrganizationAccess } from '../domain/organizations/organization-access.js';
import type { RenderPage } from '../lib/render-page.js';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import { createAdapterClass, type AdapterStores } from './adapter.js';
import { organizationGrantLoader } from './grant-loader.js';
import {
  createGrantAccessReader,
  type IssuedTokenAccess,
  organizationIntrospectionPolicy,
  organizationTokenClaims,
  withOrganizationClaims,
} from './organization-claims.js';
import { interactionPolicyWithOrganization } from './organization-prompt.js';
import { pages } from './pages.js';
import { introspectionAllowed, protocolPolicy } from './protocol-policy.js';
import { resourceIndicatorsFeature } from './resource-servers.js';
import { createSubjectTokenReader } from './subject-token.js';
import { registerTokenExchange } from './token-exchange.js';
import { unauthorizedClientErrors } from './unauthorized-client.js';

export interface ProviderOptions {
  issuer: string;
  jwks: PrivateJwk[];
  cookieKeys: string[];
  stores: AdapterStores;
  findAccount: FindAccount;
  tenancy: OrganizationAccess;
  renderPage: RenderPage;
  accessTokenTtl: number;
}

export type OidcProvider = InstanceType<typeof Provider>;

/**
 * One configured oidc-provider: the protocol policy over our stores, keys, accounts and pages,
 * with tenancy: every user token speaks for at most one organization (see organization-*.ts).
 */
export function createProvider(options: ProviderOptions): OidcProvider {
  const policy = protocolPolicy(options.accessTokenTtl);
  const page = pages(options.renderPage);
  const readAccess = createGrantAccessReader(options.tenancy);
  const issuedAccess: IssuedTokenAccess = new WeakMap();
  const provider = new Provider(options.issuer, {
    ...policy,
    adapter: createAdapterClass(options.stores),
    findAccount: withOrganizationClaims(options.findAccount, readAccess),
    loadExistingGrant: organizationGrantLoader(readAccess, options.tenancy),
    extraTokenClaims: organizationTokenClaims(readAccess, issuedAccess) as never,
    interactions: { ...policy.interactions, policy: interactionPolicyWithOrganization(readAccess) },
    jwks: { keys: options.jwks as never },
    cookies: { keys: options.cookieKeys },
    features: {
      ...policy.features,
      introspection: {
        enabled: true,
        allowedPolicy: organizationIntrospectionPolicy(readAccess, introspectionAllowed as never),
      } as never,
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
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
    readSubjectToken: createSubjectTokenReader({ issuer: options.issuer, jwks: options.jwks, readAccess }),
    tenancy: options.tenancy,
    getResourceServerInfo: resourceIndicatorsFeature(options.accessTokenTtl).getResourceServerInfo,
    issuedAccess,
    accessTokenTtl: options.accessTokenTtl,
  });
  provider.use(unauthorizedClientErrors());
  return provider;
}
