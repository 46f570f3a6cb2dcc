import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SigningKeys } from '../domain/keys/signing-keys.js';
import { createProvider, type OidcProvider, type ProviderOptions } from './provider-factory.js';

/**
 * Holds the live oidc-provider. oidc-provider fixes its keystore at construction, so a key
 * rotation (from the CLI or another instance) is picked up by building a new provider over the
 * same stores: all state lives in the stores, so nothing is lost in the swap.
 */
export interface ProviderHost {
  current(): OidcProvider;
  /** Rebuilds the provider when the published key set changed; returns whether it did. */
  refreshKeys(): Promise<boolean>;
  /** Node handler for the protocol endpoints (discovery, auth, token, ...). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export async function createProviderHost(
  options: Omit<ProviderOptions, 'jwks'>,
  signingKeys: SigningKeys,
  trustProxy: boolean,
): Promise<ProviderHost> {
  const build = async () => {
    const jwks = await signingKeys.signingSet();
    const provider = createProvider({ ...options, jwks });
    // We pin the public origin ourselves (see handle), so the provider trusts the forwarded headers.
    provider.proxy = true;
    return { provider, fingerprint: jwks.map((key) => key.kid).join(','), callback: provider.callback() };
  };
  let live = await build();
  const origin = new URL(options.issuer);

  return {
    current: () => live.provider,
    async refreshKeys() {
      const kids = (await signingKeys.signingSet()).map((key) => key.kid).join(',');
      if (kids === live.fingerprint) return false;
      live = await build();
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
