import Provider, { type FindAccount } from 'oidc-provider';
import type { RenderPage } from '../lib/render-page.js';
import type { PrivateJwk } from '../domain/keys/signing-keys.js';
import { createAdapterClass, type AdapterStores } from './adapter.js';
import { pages } from './pages.js';
import { protocolPolicy } from './protocol-policy.js';

export interface ProviderOptions {
  issuer: string;
  jwks: PrivateJwk[];
  cookieKeys: string[];
  stores: AdapterStores;
  findAccount: FindAccount;
  renderPage: RenderPage;
  accessTokenTtl: number;
}

export type OidcProvider = InstanceType<typeof Provider>;

/** One configured oidc-provider: the protocol policy over our stores, keys, accounts and pages. */
export function createProvider(options: ProviderOptions): OidcProvider {
  const policy = protocolPolicy(options.accessTokenTtl);
  const page = pages(options.renderPage);
  return new Provider(options.issuer, {
    ...policy,
    adapter: createAdapterClass(options.stores),
    findAccount: options.findAccount,
    jwks: { keys: options.jwks as never },
    cookies: { keys: options.cookieKeys },
    features: {
      ...policy.features,
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: page.logoutSource,
        postLogoutSuccessSource: page.postLogoutSuccessSource,
      },
    },
    renderError: page.renderError,
  });
}
