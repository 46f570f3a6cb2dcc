import pino from 'pino';
import type { Env } from '../config/env.js';
import type { OpenedDatabase } from '../data/database.js';
import { createSessionsAdmin, type SessionsAdmin } from '../domain/sessions/sessions-admin.js';
import type { Io } from './context.js';

/**
 * Runs `work` against the shared session registry: the database (audit, policy, grants) and
 * Redis (sessions, tokens, the logout queue). Logout tokens are queued here and sent by a running
 * server, which holds the signing keys. Redis and the session code load only when a command asks.
 */
export async function withSharedSessions<T>(
  env: Env & { REDIS_URL: string },
  io: Io,
  db: OpenedDatabase,
  work: (sessions: SessionsAdmin) => Promise<T>,
): Promise<T> {
  const onError = (error: Error) => io.err(`gatehouse: store connection error: ${error.message}\n`);
  const [{ openRedis }, { openRedisSessionStores }, { createSessionServices }] = await Promise.all([
    import('../data/redis/open-redis.js'),
    import('../data/redis/session-stores.js'),
    import('../oidc/session-services.js'),
  ]);
  const redis = openRedis(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX, onError });
  const stores = openRedisSessionStores(env.REDIS_URL, { keyPrefix: env.REDIS_KEY_PREFIX, onError });
  try {
    await redis.ping();
    const services = createSessionServices({
      registry: stores.registry,
      logouts: stores.logouts,
      stores: { durable: db.payloadStore(), shortLived: redis.payloadStore() },
      provider: () => {
        throw new Error('logout tokens are sent by a running server');
      },
      db,
      now: () => new Date(),
      logger: pino({ level: 'silent' }),
      pollMs: 1_000,
    });
    return await work(createSessionsAdmin(db, services.sessions));
  } finally {
    await Promise.allSettled([stores.close(), redis.close()]);
  }
}
