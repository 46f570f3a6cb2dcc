import { createAdapterClass, type AdapterStores } from './adapter.js';

/** Clients are never read through this path: their metadata lives in the client catalog. */
const NO_CLIENTS: AdapterStores['clients'] = { providerMetadata: async () => undefined };

/**
 * oidc-provider's models as stored, through the adapter that maps each one to its store
 * (grants and refresh tokens durable, the rest short-lived): for ending sessions and grants
 * with or without a running provider.
 */
export function modelStores(stores: Pick<AdapterStores, 'durable' | 'shortLived'>) {
  const Adapter = createAdapterClass({ ...stores, clients: NO_CLIENTS });
  const adapters = new Map<string, InstanceType<typeof Adapter>>();
  return (model: string) => {
    let adapter = adapters.get(model);
    if (!adapter) adapters.set(model, (adapter = new Adapter(model)));
    return adapter;
  };
}
export type ModelStores = ReturnType<typeof modelStores>;
