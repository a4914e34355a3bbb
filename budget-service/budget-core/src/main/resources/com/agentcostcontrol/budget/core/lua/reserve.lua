-- reserve: hold `amount` against every counter of a call, all or nothing.
-- KEYS[1] synced marker, KEYS[2] lease zset, KEYS[3] lease hash, KEYS[4..] counters
-- ARGV[1] reservation id, ARGV[2] amount, ARGV[3] lease ttl ms, ARGV[4] sweep limit,
--   then per counter: limit, hard ('1'|'0'), expire-at epoch seconds ('0' = never)
-- Reply: {status, refusing counter index (1-based, '0' = none), spent1, reserved1, spent2, ...}
--   status ADMITTED | DUPLICATE | REFUSED | UNSYNCED; values are those before this call.
local id, amount = ARGV[1], ARGV[2]
local n = #KEYS - 3
local now = now_ms()
sweep(KEYS[2], KEYS[3], now, tonumber(ARGV[4]))

local before = counter_values(KEYS, 4)
if redis.call('HEXISTS', KEYS[3], id) == 1 then
  -- A retried reserve (the first reply was lost): the lease already holds the amount.
  return append({'DUPLICATE', '0'}, before)
end

local any_hard = false
for i = 1, n do
  if ARGV[4 + 3 * (i - 1) + 2] == '1' then
    any_hard = true
  end
end
if any_hard and redis.call('EXISTS', KEYS[1]) == 0 then
  -- Counters were lost (FLUSHDB, failover without persistence) and not rebuilt from the ledger yet:
  -- a hard budget cannot be checked, so the caller applies its Redis-unavailable policy.
  return append({'UNSYNCED', '0'}, before)
end

local want = tonumber(amount)
local refusing, tightest = 0, nil
for i = 1, n do
  local base = 4 + 3 * (i - 1)
  if ARGV[base + 2] == '1' then
    local room = tonumber(ARGV[base + 1]) - tonumber(before[2 * i - 1]) - tonumber(before[2 * i])
    if want > room and (tightest == nil or room < tightest) then
      refusing, tightest = i, room
    end
  end
end
if refusing > 0 then
  return append({'REFUSED', int(refusing)}, before)
end

local lease = amount
for i = 1, n do
  local key = KEYS[3 + i]
  redis.call('HINCRBY', key, 'reserved', amount)
  redis.call('HSETNX', key, 'spent', '0')
  local expire_at = ARGV[4 + 3 * (i - 1) + 3]
  if expire_at ~= '0' then
    redis.call('EXPIREAT', key, expire_at)
  end
  lease = lease .. '|' .. key
end
redis.call('HSET', KEYS[3], id, lease)
redis.call('ZADD', KEYS[2], int(now + tonumber(ARGV[3])), id)
return append({'ADMITTED', '0'}, before)
