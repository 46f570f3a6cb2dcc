import { luaScript } from './lua-script.js';

/**
 * A payload is a hash: `payload` (JSON), `consumed` (epoch seconds, set by consume) and the names
 * of the index keys that point at it, so destroy and re-upsert can remove exactly those.
 * Scripts touch index keys they read from the hash: fine on one Redis server, and on a cluster
 * only if every key of a model shares a hash slot.
 */

/** Index entries are removed only while they still point at this payload (uids are reused on re-upsert). */
const DROP_INDEXES = `
local function drop_indexes(key, id)
  local old = redis.call('HMGET', key, 'grantKey', 'uidKey', 'userCodeKey')
  if old[1] then redis.call('SREM', old[1], key) end
  for i = 2, 3 do
    if old[i] and redis.call('GET', old[i]) == id then redis.call('DEL', old[i]) end
  end
end
`;

/** KEYS: payload, grant set, uid key, user-code key. ARGV: json, ttl (0 = none), id, flags. */
export const upsertPayload = luaScript(`${DROP_INDEXES}
local key, grantKey, uidKey, codeKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local json, ttl, id = ARGV[1], tonumber(ARGV[2]), ARGV[3]
drop_indexes(key, id)
redis.call('DEL', key)
redis.call('HSET', key, 'payload', json)
if ttl > 0 then redis.call('EXPIRE', key, ttl) end

local function point(field, indexKey)
  redis.call('HSET', key, field, indexKey)
  if ttl > 0 then
    redis.call('SET', indexKey, id, 'EX', ttl)
  else
    redis.call('SET', indexKey, id)
  end
end
if ARGV[5] == '1' then point('uidKey', uidKey) end
if ARGV[6] == '1' then point('userCodeKey', codeKey) end

if ARGV[4] == '1' then
  -- The grant set must live as long as its longest-lived member; -1 means one never expires.
  local before = redis.call('TTL', grantKey)
  redis.call('HSET', key, 'grantKey', grantKey)
  redis.call('SADD', grantKey, key)
  if ttl == 0 then
    redis.call('PERSIST', grantKey)
  elseif before == -2 or (before >= 0 and before < ttl) then
    redis.call('EXPIRE', grantKey, ttl)
  end
end
return 1
`);

/**
 * KEYS: index key (uid or user code). ARGV: the model's payload key prefix. The payload's
 * `payload` and `consumed` fields, read through the index in one round trip; nil when either is
 * gone.
 */
export const findThroughIndex = luaScript(`
local id = redis.call('GET', KEYS[1])
if not id then return nil end
return redis.call('HMGET', ARGV[1] .. id, 'payload', 'consumed')
`);

/**
 * KEYS: payload. ARGV: epoch seconds. 1 when this call consumed it; 0 when it is missing (an
 * expired payload must not be recreated) or was consumed already.
 */
export const consumePayload = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], 'consumed') == 0 then
  redis.call('HSET', KEYS[1], 'consumed', ARGV[1])
  return 1
end
return 0
`);

/** KEYS: payload. ARGV: id. */
export const destroyPayload = luaScript(`${DROP_INDEXES}
drop_indexes(KEYS[1], ARGV[1])
return redis.call('DEL', KEYS[1])
`);

/** KEYS: grant set. Deletes each member payload with its uid/user-code index keys. */
export const revokeGrant = luaScript(`
local members = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(members) do
  local idx = redis.call('HMGET', key, 'uidKey', 'userCodeKey')
  for i = 1, 2 do
    if idx[i] then redis.call('DEL', idx[i]) end
  end
  redis.call('DEL', key)
end
redis.call('DEL', KEYS[1])
return #members
`);
