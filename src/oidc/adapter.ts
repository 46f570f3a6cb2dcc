import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientCatalog } from '../domain/clients/client-catalog.js';
import type { Payload, PayloadStore } from '../domain/ports/payload-store.js';
import { forgetInRequest, rememberedInRequest } from '../lib/request-scope.js';
import { revokeGrant } from './access-revocation.js';
import { deferConsume, takeDeferredConsume } from './refresh-rotation.js';

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

/**
 * Tokens (and their grants) a check before the token endpoint read (oidc/network-policy.ts), per
 * request, kept for oidc-provider's own read of the same payload further on in that request (its
 * routes run with the request in `Provider.ctx`, which provider-factory.ts passes as
 * `currentRequest`): one read of the code or refresh token, not two. Each is taken once, and a
 * write to it through the adapter drops it.
 */
const readsAhead = new WeakMap<object, Map<string, AdapterPayload | undefined>>();
const readKey = (name: string, id: string) => `${name}:${id}`;

function takeReadAhead(
  request: object | undefined,
  name: string,
  id: string,
): { payload: AdapterPayload | undefined } | undefined {
  const reads = request && readsAhead.get(request);
  const key = readKey(name, id);
  if (!reads?.has(key)) return undefined;
  const payload = reads.get(key);
  reads.delete(key);
  return { payload };
}

function dropReadAhead(request: object | undefined, name: string, id: string): void {
  if (request) readsAhead.get(request)?.delete(readKey(name, id));
}

/**
 * Models read several times in one request by the provider and our pages (an interaction, at
 * every step of a sign-in) and written only through this adapter: read once per request
 * (lib/request-scope.ts) until the adapter writes them; each reader gets its own copy.
 */
const READ_ONCE_PER_REQUEST = new Set(['Interaction']);
const requestKey = (name: string, id: string) => `adapter\u0000${name}\u0000${id}`;

/** The single-use tokens of the token endpoint, with oidc-provider's words for their replay. */
const SINGLE_USE: Record<string, string> = {
  AuthorizationCode: 'authorization code already consumed',
  RefreshToken: 'refresh token already used',
};

const storeOf = (stores: Omit<AdapterStores, 'clients'>, name: string) =>
  DURABLE_MODELS.has(name) ? stores.durable : stores.shortLived;

/**
 * Reads a token's stored payload for a check ahead of the token endpoint, for the request `ctx`,
 * and its Grant, for the token endpoint's own read of it: in the same read where the token's store
 * keeps grants too (refresh tokens, in PostgreSQL), else right after (a code, in Redis) where the
 * grants' store reads ahead (findGrantAhead).
 */
export async function readAhead(
  stores: Omit<AdapterStores, 'clients'>,
  ctx: object,
  name: 'AuthorizationCode' | 'RefreshToken',
  id: string,
): Promise<AdapterPayload | undefined> {
  const store = storeOf(stores, name);
  const grants = storeOf(stores, 'Grant');
  const withGrant = grants === store ? store.findWithGrant?.bind(store) : undefined;
  const { payload, grant } = withGrant ? await withGrant(name, id) : { payload: await store.find(name, id) };
  let reads = readsAhead.get(ctx);
  if (!reads) readsAhead.set(ctx, (reads = new Map()));
  reads.set(readKey(name, id), payload as AdapterPayload | undefined);
  const grantId = payload?.grantId;
  if (typeof grantId === 'string') {
    const ahead = withGrant
      ? { grant }
      : grants.findGrantAhead && { grant: await grants.findGrantAhead(grantId) };
    if (ahead) reads.set(readKey('Grant', grantId), ahead.grant as AdapterPayload | undefined);
  }
  return payload as AdapterPayload | undefined;
}

/**
 * `currentRequest`: the request oidc-provider is serving (`Provider.ctx`); without it (the CLI's
 * session models) nothing is read ahead.
 */
export function createAdapterClass(
  stores: AdapterStores,
  currentRequest: () => object | undefined = () => undefined,
): new (name: string) => Adapter {
  class StoreAdapter implements Adapter {
    readonly #name: string;
    readonly #store: PayloadStore;

    constructor(name: string) {
      this.#name = name;
      this.#store = storeOf(stores, name);
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      if (this.#name === 'Client') throw new Error('clients are managed through the client catalog');
      const request = currentRequest();
      const { upsertConsuming } = this.#store;
      const deferred = request && upsertConsuming && takeDeferredConsume(request, this.#name);
      if (!deferred || !upsertConsuming) {
        await this.#write(id, () =>
          this.#store.upsert(this.#name, id, payload as Payload, expiresIn || undefined),
        );
        return;
      }
      // The successor of a token consumed earlier in this request: both in one statement.
      dropReadAhead(request, this.#name, deferred.id);
      const rotated = await this.#write(id, () =>
        upsertConsuming.call(
          this.#store,
          this.#name,
          deferred.id,
          id,
          payload as Payload,
          expiresIn || undefined,
        ),
      );
      if (!rotated) await this.#replayed(deferred.id);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.#name === 'Client')
        return (await stores.clients.providerMetadata(id)) as AdapterPayload | undefined;
      const request = currentRequest();
      const ahead = takeReadAhead(request, this.#name, id);
      if (ahead) return ahead.payload;
      // The provider's own read of a grant (authorization, userinfo, introspection): what it asks
      // next about it, the grant's organization access, comes in the same statement.
      if (request && this.#name === 'Grant' && this.#store.findGrantAhead)
        return (await this.#store.findGrantAhead(id)) as AdapterPayload | undefined;
      if (!READ_ONCE_PER_REQUEST.has(this.#name))
        return (await this.#store.find(this.#name, id)) as AdapterPayload | undefined;
      const payload = await rememberedInRequest(requestKey(this.#name, id), () =>
        this.#store.find(this.#name, id),
      );
      return payload && (structuredClone(payload) as AdapterPayload);
    }

    /** A write drops what this request read of the payload, before and after (a read in between). */
    async #write<T>(id: string, write: () => Promise<T>): Promise<T> {
      const forget = () => {
        dropReadAhead(currentRequest(), this.#name, id);
        if (READ_ONCE_PER_REQUEST.has(this.#name)) forgetInRequest(requestKey(this.#name, id));
      };
      forget();
      try {
        return await write();
      } finally {
        forget();
      }
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return (await this.#store.findByUserCode(this.#name, userCode)) as AdapterPayload | undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return (await this.#store.findByUid(this.#name, uid)) as AdapterPayload | undefined;
    }

    async consume(id: string): Promise<void> {
      const request = currentRequest();
      const consumeNow = () => this.#consumeNow(id);
      if (request && this.#store.upsertConsuming && (await deferConsume(request, this.#name, id, consumeNow)))
        return;
      await consumeNow();
    }

    async #consumeNow(id: string): Promise<void> {
      const consumed = await this.#write(id, () => this.#store.consume(this.#name, id));
      if (!consumed) await this.#replayed(id);
    }

    /**
     * Another request used the token between oidc-provider's read and this one: a replay racing
     * the first use. As for a replay after it, the grant and all issued under it go (RFC 6749
     * §4.1.2, RFC 9700 §4.14.2), and this request is refused.
     */
    async #replayed(id: string): Promise<void> {
      const replayed = SINGLE_USE[this.#name];
      if (!replayed) return;
      const payload = await this.#store.find(this.#name, id);
      if (typeof payload?.grantId === 'string')
        await revokeGrant((model) => new StoreAdapter(model), payload.grantId);
      // Loaded here, not at the top: the CLI's session commands use this adapter without a
      // provider, and loading oidc-provider prints its warnings on their output.
      const { errors } = await import('oidc-provider');
      throw new errors.InvalidGrant(replayed);
    }

    async destroy(id: string): Promise<void> {
      await this.#write(id, () => this.#store.destroy(this.#name, id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await this.#store.revokeByGrantId(this.#name, grantId);
    }
  }
  return StoreAdapter;
}
