import { tmpdir } from 'node:os';
import type { Configuration } from 'oidc-provider';
import { openDatabase } from '../src/data/database.js';
import { openRedis } from '../src/data/redis/index.js';
import type { ClientCatalog } from '../src/domain/clients/client-catalog.js';
import { createAdapterClass } from '../src/oidc/adapter.js';

/**
 * The baseline's storage, from BASELINE_STORAGE:
 * - `memory` (default): oidc-provider's own in-memory adapter (an LRU of 1,000 entries).
 * - `gatehouse`: Gatehouse's adapter class over the same stores Gatehouse uses: grants and
 *   refresh tokens in PostgreSQL (DATABASE_URL), everything else in Redis (REDIS_URL, under
 *   REDIS_KEY_PREFIX). The baseline's clients are static and oidc-provider answers static clients
 *   without asking the adapter, so the client catalog here knows no client.
 */
export interface BaselineStorage {
  kind: 'memory' | 'gatehouse';
  adapter: Configuration['adapter'];
  close(): Promise<void>;
}

const noClients: ClientCatalog = { providerMetadata: async () => undefined };

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required with BASELINE_STORAGE=gatehouse`);
  return value;
}

export async function openBaselineStorage(): Promise<BaselineStorage> {
  const kind = process.env.BASELINE_STORAGE || 'memory';
  if (kind === 'memory') return { kind, adapter: undefined, close: async () => {} };
  if (kind !== 'gatehouse') throw new Error('BASELINE_STORAGE must be memory or gatehouse');
  const db = await openDatabase({ url: required('DATABASE_URL'), dataDir: tmpdir() });
  const redis = openRedis(required('REDIS_URL'), { keyPrefix: required('REDIS_KEY_PREFIX') });
  try {
    await Promise.all([db.ping(), redis.ping()]);
  } catch (error) {
    await Promise.allSettled([redis.close(), db.close()]);
    throw error;
  }
  return {
    kind,
    adapter: createAdapterClass({
      durable: db.payloadStore(),
      shortLived: redis.payloadStore(),
      clients: noClients,
    }) as Configuration['adapter'],
    async close() {
      await Promise.allSettled([redis.close(), db.close()]);
    },
  };
}
