import pino, { type Logger } from 'pino';
import type { Env } from '../config/env.js';
import type { OpenedDatabase } from '../data/database.js';
import { createSessionsAdmin, type SessionsAdmin } from '../domain/sessions/sessions-admin.js';
import type { createSessionServices as CreateSessionServices } from '../oidc/session-services.js';
import type { Io } from './context.js';

/** The session services a command gets: sessions, models, the logout queue, a silent logger. */
export type SharedSessionServices = ReturnType<typeof CreateSessionServices> & { logger: Logger };

/**
 * Runs `work` against the shared session stores: the database (audit, policy, grants, refresh
 * tokens) and Redis (sessions, access tokens, the logout queue). Logout tokens are queued here
 * and sent by a running server, which holds the signing keys. Redis and the session code load
 * only when a command asks.
 */
export async function withSessionServices<T>(
  env: Env & { REDIS_URL: string },
  io: Io,
  db: OpenedDatabase,
  work: (services: SharedSessionServices) => Promise<T>,
  now: () => Date = () => new Date(),
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
    const logger = pino({ level: 'silent' });
    const services = createSessionServices({
      registry: stores.registry,
      logouts: stores.logouts,
      stores: { durable: db.payloadStore(), shortLived: redis.payloadStore() },
      provider: () => {
        throw new Error('logout tokens are sent by a running server');
      },
      db,
      now,
      logger,
      pollMs: 1_000,
    });
    return await work({ ...services, logger });
  } finally {
    await Promise.allSettled([stores.close(), redis.close()]);
  }
}

/** Runs `work` with the sessions admin over the shared stores (withSessionServices). */
export function withSharedSessions<T>(
  env: Env & { REDIS_URL: string },
  io: Io,
  db: OpenedDatabase,
  work: (sessions: SessionsAdmin) => Promise<T>,
): Promise<T> {
  return withSessionServices(env, io, db, (services) => work(createSessionsAdmin(db, services.sessions)));
}
