import { describe, expect, it } from '@jest/globals';
import Provider from 'oidc-provider';
import { createMemoryPayloadStore } from '../../src/data/memory/payload-store.js';
import type { ClientCatalog, ProviderClientMetadata } from '../../src/domain/clients/client-catalog.js';
import { createAdapterClass } from '../../src/oidc/adapter.js';
import { rememberBuiltClients } from '../../src/oidc/client-lookup.js';
import type { OidcProvider } from '../../src/oidc/provider-factory.js';

const registration = (redirect: string): ProviderClientMetadata =>
  Object.freeze({
    client_id: 'web-app',
    client_secret: 'a-long-enough-secret-for-the-test',
    redirect_uris: [redirect],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  });

/** A catalog that hands out the object it holds, as the real one does while its entry is fresh. */
function heldCatalog() {
  const held = new Map<string, ProviderClientMetadata>();
  let reads = 0;
  const catalog: ClientCatalog = {
    async providerMetadata(clientId) {
      reads += 1;
      return held.get(clientId);
    },
  };
  return { catalog, held, reads: () => reads };
}

function providerOver(catalog: ClientCatalog): OidcProvider {
  const stores = {
    durable: createMemoryPayloadStore(),
    shortLived: createMemoryPayloadStore(),
    clients: catalog,
  };
  const provider = new Provider('http://127.0.0.1:1', {
    adapter: createAdapterClass(stores, () => undefined),
  }) as OidcProvider;
  rememberBuiltClients(provider, catalog);
  return provider;
}

describe('client lookups (oidc/client-lookup.ts)', () => {
  it('answers the same Client while the catalog holds the same registration', async () => {
    const { catalog, held } = heldCatalog();
    held.set('web-app', registration('https://rp.example/callback'));
    const provider = providerOver(catalog);
    const first = await provider.Client.find('web-app');
    expect(first?.redirectUris).toEqual(['https://rp.example/callback']);
    expect(await provider.Client.find('web-app')).toBe(first);
  });

  it('builds the changed registration anew, and oidc-provider still validates it', async () => {
    const { catalog, held } = heldCatalog();
    held.set('web-app', registration('https://rp.example/callback'));
    const provider = providerOver(catalog);
    const before = await provider.Client.find('web-app');
    held.set('web-app', registration('https://rp.example/other'));
    const after = await provider.Client.find('web-app');
    expect(after).not.toBe(before);
    expect(after?.redirectUris).toEqual(['https://rp.example/other']);
    held.set('web-app', registration('not a url'));
    await expect(provider.Client.find('web-app')).rejects.toThrow('invalid_redirect_uri');
  });

  it('finds no client for an id the catalog does not hold, nor for a removed one', async () => {
    const { catalog, held } = heldCatalog();
    const provider = providerOver(catalog);
    expect(await provider.Client.find('nobody')).toBeUndefined();
    expect(await provider.Client.find('')).toBeUndefined();
    held.set('web-app', registration('https://rp.example/callback'));
    expect(await provider.Client.find('web-app')).toBeDefined();
    held.delete('web-app');
    expect(await provider.Client.find('web-app')).toBeUndefined();
  });
});
