-- Shared by every budget script (prepended by LuaScript). All keys of one call share the hash tag
-- {<tenant>}, so one script touches one cluster slot.
--
-- Numbers: money is integer micro-USD. Lua numbers are doubles, exact for integers below 2^53; Java
-- caps amounts and limits at 10^15. Values are handed to Redis as strings (never tostring() of a
-- computed number, which would print 14 significant digits) and read back as strings.
--
-- Counter hash  acc:budget:{T}:c:<budget>:<period>  fields spent, reserved
-- Lease zset    acc:budget:{T}:leases               reservation id -> lease expiry (ms, Redis clock)
-- Lease hash    acc:budget:{T}:lease                reservation id -> "<amount>|<counter key>|..."

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function int(n)
  return string.format('%d', n)
end

-- Gives back the amount a lease holds on each of its counters; returns the amount, or nil when
-- there is no such lease. The counters it names are in the same slot (same hash tag).
local function drop_lease(leases, lease_hash, id)
  local v = redis.call('HGET', lease_hash, id)
  if not v then
    return nil
  end
  local amount = nil
  for part in string.gmatch(v, '[^|]+') do
    if amount == nil then
      amount = part
    elseif amount ~= '0' and redis.call('EXISTS', part) == 1 then
      local left = redis.call('HINCRBY', part, 'reserved', '-' .. amount)
      if left < 0 then
        redis.call('HSET', part, 'reserved', '0')
      end
    end
  end
  redis.call('HDEL', lease_hash, id)
  redis.call('ZREM', leases, id)
  return amount
end

-- Releases up to `limit` leases whose expiry has passed (a crashed caller never settles them).
local function sweep(leases, lease_hash, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', int(now), 'LIMIT', 0, limit)
  for _, id in ipairs(expired) do
    if not drop_lease(leases, lease_hash, id) then
      redis.call('ZREM', leases, id)
    end
  end
  return #expired
end

local function counter_values(keys, first)
  local out = {}
  for i = first, #keys do
    local v = redis.call('HMGET', keys[i], 'spent', 'reserved')
    out[#out + 1] = v[1] or '0'
    out[#out + 1] = v[2] or '0'
  end
  return out
end

local function append(dst, src)
  for _, v in ipairs(src) do
    dst[#dst + 1] = v
  end
  return dst
end
