import { luaScript } from './lua-script.js';

/**
 * The registry's key layout under `<prefix>session:`: `rec:<id>` a hash (`record` JSON, `seen`
 * epoch ms) expiring with the session; `pend:<interaction uid>` a reservation; `user:<id>` a
 * sorted set of the user's sessions and reservations (`~<uid>`) by start time, which is what the
 * limit counts; `org:<id>` a sorted set of an organization's sessions. Index entries whose record
 * or reservation expired are dropped as they are met. Scripts derive some keys from their
 * arguments: fine on one Redis server, and on a cluster only with one hash slot per prefix.
 */

/** Sets a key's expiry to at least `ms` (a new index key has none yet). */
const EXTEND = `
local function extend(key, ms)
  local current = redis.call('PTTL', key)
  if current == -1 or (current >= 0 and current < tonumber(ms)) then redis.call('PEXPIRE', key, ms) end
end
`;

/**
 * KEYS: user set, reservation. ARGV: record prefix, reservation prefix, member (`~<uid>`, or a
 * session id to re-admit, or '' to take no place), score, reservation JSON ('' for none), its TTL
 * in ms, limit, action. Returns {1, evicted session ids...} or {0, live count}.
 */
export const reserveScript = luaScript(`${EXTEND}
local userKey, pendKey = KEYS[1], KEYS[2]
local recPrefix, pendPrefix, member = ARGV[1], ARGV[2], ARGV[3]
local function keyOf(m)
  if string.sub(m, 1, 1) == '~' then return pendPrefix .. string.sub(m, 2) end
  return recPrefix .. m
end
local evicted = {}
if member ~= '' then
  local live = {}
  for _, m in ipairs(redis.call('ZRANGE', userKey, 0, -1)) do
    if redis.call('EXISTS', keyOf(m)) == 0 then
      redis.call('ZREM', userKey, m)
    elseif m ~= member then
      table.insert(live, m)
    end
  end
  local max = tonumber(ARGV[7])
  if #live >= max then
    if ARGV[8] == 'refuse' then return {0, #live} end
    -- Oldest first: ZRANGE orders by start time.
    for i = 1, #live - max + 1 do
      local m = live[i]
      redis.call('ZREM', userKey, m)
      if string.sub(m, 1, 1) == '~' then redis.call('DEL', keyOf(m)) else table.insert(evicted, m) end
    end
  end
  if redis.call('ZSCORE', userKey, member) == false then redis.call('ZADD', userKey, ARGV[4], member) end
end
if ARGV[5] ~= '' then
  redis.call('SET', pendKey, ARGV[5], 'PX', ARGV[6])
  if member ~= '' then extend(userKey, ARGV[6]) end
end
local reply = {1}
for _, id in ipairs(evicted) do table.insert(reply, id) end
return reply
`);

/**
 * Writes a record. KEYS: record, user set, organization set, previous organization set,
 * reservation. ARGV: id, reservation member ('' when updating a live record), record JSON, seen
 * ms ('' keeps it), TTL ms, score, '1' when it has an organization, '1' when it leaves another,
 * ms until its absolute end. A bind needs the reservation's place (or a live record: a
 * re-authentication); an update needs the live record. Returns 1, or 0 having written nothing.
 */
export const writeScript = luaScript(`${EXTEND}
local recKey, userKey, orgKey, oldOrgKey, pendKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local id, member = ARGV[1], ARGV[2]
local exists = redis.call('EXISTS', recKey) == 1
local placed = member ~= '' and redis.call('ZSCORE', userKey, member) ~= false
if member ~= '' then
  redis.call('DEL', pendKey)
  if placed then redis.call('ZREM', userKey, member) end
end
if not exists and not placed then return 0 end
redis.call('HSET', recKey, 'record', ARGV[3])
if ARGV[4] ~= '' then redis.call('HSET', recKey, 'seen', ARGV[4]) end
redis.call('PEXPIRE', recKey, ARGV[5])
redis.call('ZADD', userKey, ARGV[6], id)
extend(userKey, ARGV[9])
if ARGV[8] == '1' then redis.call('ZREM', oldOrgKey, id) end
if ARGV[7] == '1' then
  redis.call('ZADD', orgKey, ARGV[6], id)
  extend(orgKey, ARGV[9])
end
return 1
`);

/** KEYS: record. ARGV: seen ms, TTL ms. Never brings back a record that expired. */
export const touchScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'seen', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`);

/** KEYS: record. ARGV: registry prefix, id. Returns {record JSON, seen} of what it removed. */
export const removeScript = luaScript(`
local json = redis.call('HGET', KEYS[1], 'record')
if not json then return false end
local seen = redis.call('HGET', KEYS[1], 'seen')
local record = cjson.decode(json)
redis.call('DEL', KEYS[1])
redis.call('ZREM', ARGV[1] .. 'user:' .. record.userId, ARGV[2])
if type(record.organizationId) == 'string' then
  redis.call('ZREM', ARGV[1] .. 'org:' .. record.organizationId, ARGV[2])
end
return {json, seen or ''}
`);
