import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SigningKeys } from '../domain/keys/signing-keys.js';
import { createProvider, type OidcProvider, type ProviderOptions } from './provider-factory.js';

/** Adds the rest of the HTTP application (middleware, pages) to a freshly built provider. */
export type ProviderSetup = (provider: OidcProvider) => void;

/**
 * Holds the live oidc-provider. oidc-provider fixes its keystore at construction, so a key
 * rotation (from the CLI or another instance) is picked up by building a new provider over the
 * same stores: all state lives in the stores, so nothing is lost in the swap.
 */
export interface ProviderHost {
  current(): OidcProvider;
  /**
   * Gatehouse's middleware and pages run inside the provider's own Koa app (one Koa context per
   * request, not two); `setup` is applied to the live provider and to every rebuilt one.
   */
  mount(setup: ProviderSetup): void;
  /** Rebuilds the provider when the published key set changed; returns whether it did. */
  refreshKeys(): Promise<boolean>;
  /** Node handler for every request. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export async function createProviderHost(
  options: Omit<ProviderOptions, 'jwks'>,
  signingKeys: SigningKeys,
  trustProxy: boolean,
): Promise<ProviderHost> {
  let setup: ProviderSetup | undefined;
  const fingerprintOf = (jwks: ProviderOptions['jwks']) => jwks.map((key) => key.kid).join(',');
  const build = (jwks: ProviderOptions['jwks']) => {
    const provider = createProvider({ ...options, jwks });
    // We pin the public origin ourselves (see handle), so the provider trusts the forwarded headers.
    provider.proxy = true;
    setup?.(provider);
    return { provider, fingerprint: fingerprintOf(jwks), callback: provider.callback() };
  };
  let live = build(await signingKeys.signingSet());
  const origin = new URL(options.issuer);

  return {
    current: () => live.provider,
    mount(next) {
      if (setup) throw new Error('the provider host is already mounted');
      setup = next;
      setup(live.provider);
      live = { ...live, callback: live.provider.callback() };
    },
    async refreshKeys() {
      // One read (and one decryption of the keys) per check, reused for the rebuild.
      const jwks = await signingKeys.signingSet();
      if (fingerprintOf(jwks) === live.fingerprint) return false;
      live = build(jwks);
      return true;
    },
    async handle(req, res) {
      // Endpoint URLs in discovery and redirects must follow the configured issuer, never a
      // client-supplied Host header (host header injection). The client IP stays as the edge saw it.
      req.headers['x-forwarded-host'] = origin.host;
      req.headers['x-forwarded-proto'] = origin.protocol.slice(0, -1);
      if (!trustProxy) delete req.headers['x-forwarded-for'];
      await live.callback(req, res);
    },
  };
}
