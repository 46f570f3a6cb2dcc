import type { Redis } from 'ioredis';
import type { BackchannelLogout, LogoutQueue } from '../../domain/ports/sessions.js';
import { luaScript } from './lua-script.js';

/** A logout nobody could deliver for this long is dropped with its key (the worker gives up sooner). */
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * KEYS: the queue (sorted set of ids by due time). ARGV: now ms, lease-until ms, limit, job key
 * prefix. Leases what is due by moving it to the lease's end, so no other process claims it meanwhile.
 */
const claimScript = luaScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local jobs = {}
for _, id in ipairs(ids) do
  local job = redis.call('GET', ARGV[4] .. id)
  if job then
    redis.call('ZADD', KEYS[1], ARGV[2], id)
    table.insert(jobs, job)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return jobs
`);

/** Back-channel logouts waiting for delivery or a retry, shared by every instance. */
export function createRedisLogoutQueue(redis: Redis, keyPrefix: string): LogoutQueue {
  const queueKey = `${keyPrefix}session:logouts`;
  const jobPrefix = `${keyPrefix}session:logout:`;
  return {
    async enqueue(logout: BackchannelLogout, dueAt: Date) {
      await redis
        .multi()
        .set(`${jobPrefix}${logout.id}`, JSON.stringify(logout), 'EX', KEEP_SECONDS)
        .zadd(queueKey, dueAt.getTime(), logout.id)
        .exec();
    },
    async claimDue(now, leaseUntil, limit) {
      const jobs = (await claimScript(
        redis,
        [queueKey],
        [now.getTime(), leaseUntil.getTime(), limit, jobPrefix],
      )) as string[];
      return jobs.map((job) => JSON.parse(job) as BackchannelLogout);
    },
    async complete(id) {
      await redis.multi().zrem(queueKey, id).del(`${jobPrefix}${id}`).exec();
    },
  };
}
