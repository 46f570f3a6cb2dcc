import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export type RedisArg = string | number;
export type LuaScript = (redis: Redis, keys: string[], args: RedisArg[]) => Promise<unknown>;

/**
 * A script runs atomically on the server, which is what keeps a payload and its index keys
 * consistent. EVALSHA sends only the digest; the body goes over once per server (NOSCRIPT).
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
