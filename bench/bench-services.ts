import { randomBytes } from 'node:crypto';
import { deleteRedisKeys as deleteKeysUnder } from '../test/support/redis-cleanup.js';

/** The Redis every benchmark target shares (each under a key prefix of its own). */
export const redisUrl = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Removes what a benchmark run left under its prefix. */
export const deleteRedisKeys = (prefix: string): Promise<void> => deleteKeysUnder(redisUrl(), prefix);

/** The PostgreSQL server benchmarks create their scratch databases on. */
export const adminUrl = () => process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/test';

/** So high that no rate limit shapes a benchmark's load. */
const HUGE_LIMIT = '100000000';

/**
 * The environment of a Gatehouse under benchmark: PostgreSQL and Redis, fresh secrets, no logs,
 * no demo, rate limits out of the way. Callers add their seeding variables.
 */
export function gatehouseBenchEnv(target: {
  port: number;
  databaseUrl: string;
  redisPrefix: string;
  keysDir: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: String(target.port),
    ISSUER: `http://127.0.0.1:${target.port}`,
    DATABASE_URL: target.databaseUrl,
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: target.redisPrefix,
    KEYS_DIR: target.keysDir,
    GATEHOUSE_KEK: randomBytes(32).toString('base64url'),
    COOKIE_KEYS: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    DEMO: 'false',
    RATE_LIMIT_TOKEN_PER_MINUTE: HUGE_LIMIT,
    RATE_LIMIT_LOGIN_PER_MINUTE: HUGE_LIMIT,
  };
}
