import type { ClientCatalog } from '../domain/clients/client-catalog.js';
import type { OidcProvider } from './provider-factory.js';

type Client = NonNullable<Awaited<ReturnType<OidcProvider['Client']['find']>>>;

/**
 * oidc-provider finds the Client it built from a registration by hashing the whole registration
 * (JSON, then SHA-256) at every lookup, and a token request looks its client up more than once.
 * The catalog hands out the same frozen metadata object for as long as it holds it (until the
 * clients change, or CLIENT_CACHE_MS), so the Client built from an object is kept beside that
 * object: the lookup of an unchanged client is two map reads. A changed registration arrives as a new object, which
 * oidc-provider builds and validates as before; the old one is dropped with the catalog's entry.
 * Clients the catalog does not hold (unknown ids) go to oidc-provider's own lookup.
 */
export function rememberBuiltClients(provider: OidcProvider, catalog: ClientCatalog): void {
  const Clients = provider.Client;
  const find = Clients.find.bind(Clients);
  const built = new WeakMap<object, Client>();
  Clients.find = async (id: string) => {
    const metadata = typeof id === 'string' && id ? await catalog.providerMetadata(id) : undefined;
    if (!metadata) return find(id);
    const known = built.get(metadata);
    if (known) return known;
    const client = await find(id);
    if (client) built.set(metadata, client);
    return client;
  };
}
