import type { Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { EphemeralStore } from '../domain/ports/ephemeral-store.js';
import type { PayloadStore } from '../domain/ports/payload-store.js';
import { openDatabase, type OpenedDatabase } from './database.js';
import { createMemoryEphemeralStore, createMemoryPayloadStore } from './memory/index.js';
import { openRedis } from './redis/index.js';

export interface Stores {
  db: OpenedDatabase;
  /** Grants and refresh tokens: PostgreSQL. */
  durable: PayloadStore;
  /** Deletes expired durable rows (reads already ignore them); returns how many went. */
  purgeExpired(): Promise<number>;
  /** Sessions, interactions, codes, access tokens: Redis or in-process. */
  shortLived: PayloadStore;
  ephemeral: EphemeralStore;
  close(): Promise<void>;
}

/**
 * Real services when DATABASE_URL / REDIS_URL are set; otherwise embedded PGlite under DATA_DIR
 * (migrated on open, as `npm start` promises) and an in-process store.
 */
export async function openStores(
  env: Pick<Env, 'DATABASE_URL' | 'REDIS_URL' | 'REDIS_KEY_PREFIX' | 'DATA_DIR' | 'CONFIGURATION_CACHE'>,
  migrationsDir: string,
  logger: Logger,
  options: { auditKey?: Buffer } = {},
): Promise<Stores> {
  const db = await openDatabase({
    ...(env.DATABASE_URL ? { url: env.DATABASE_URL } : {}),
    dataDir: env.DATA_DIR,
    cacheConfiguration: env.CONFIGURATION_CACHE,
    onError: (error) => logger.error({ err: error }, 'database connection error'),
    ...(options.auditKey ? { auditKey: options.auditKey } : {}),
  });
  if (db.kind === 'pglite') {
    const applied = await db.migrate(migrationsDir);
    if (applied.length > 0) logger.info({ applied }, 'migrated the embedded database');
  }
  const durable = db.payloadStore();
  if (env.REDIS_URL) {
    const redis = openRedis(env.REDIS_URL, {
      keyPrefix: env.REDIS_KEY_PREFIX,
      onError: (error) => logger.warn({ err: error }, 'redis connection error'),
    });
    return {
      db,
      durable,
      purgeExpired: () => durable.purgeExpired(),
      shortLived: redis.payloadStore(),
      ephemeral: redis.ephemeralStore(),
      close: async () => {
        await Promise.allSettled([redis.close(), db.close()]);
      },
    };
  }
  return {
    db,
    durable,
    purgeExpired: () => durable.purgeExpired(),
    shortLived: createMemoryPayloadStore(),
    ephemeral: createMemoryEphemeralStore(),
    close: () => db.close(),
  };
}
