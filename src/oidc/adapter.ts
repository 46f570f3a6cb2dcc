import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientCatalog } from '../domain/clients/client-catalog.js';
import type { Payload, PayloadStore } from '../domain/ports/payload-store.js';

/**
 * oidc-provider's Adapter contract mapped onto our stores. Grants and refresh tokens are durable
 * (PostgreSQL): losing them logs every user out of every app. Everything else is short-lived
 * (Redis) and expires by TTL. Clients are read from the client catalog, never written here.
 */
const DURABLE_MODELS = new Set(['Grant', 'RefreshToken']);

export interface AdapterStores {
  durable: PayloadStore;
  shortLived: PayloadStore;
  clients: ClientCatalog;
}

export function createAdapterClass(stores: AdapterStores): new (name: string) => Adapter {
  return class StoreAdapter implements Adapter {
    readonly #name: string;
    readonly #store: PayloadStore;

    constructor(name: string) {
      this.#name = name;
      this.#store = DURABLE_MODELS.has(name) ? stores.durable : stores.shortLived;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.#name === 'Client') throw new Error('clients are managed through the client catalog');
      await this.#store.upsert(this.#name, id, payload as Payload, expiresIn || undefined);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#name === 'Client')
        return (await stores.clients.providerMetadata(id)) as AdapterPayload | undefined;
      return (await this.#store.find(this.#name, id)) as AdapterPayload | undefined;
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await this.#store.findByUserCode(this.#name, userCode)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await this.#store.findByUid(this.#name, uid)) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      await this.#store.consume(this.#name, id);
    }

    async destroy(id: string): Promise<void> {
      await this.#store.destroy(this.#name, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await this.#store.revokeByGrantId(this.#name, grantId);
    }
  };
}
