-- Shared by the rate-limit scripts (prepended by LuaScript). All keys of one call share the hash tag
-- {<tenant>}, so one script touches one cluster slot. Time is the Redis clock (TIME), never the caller's.
--
-- Requests and tokens: a token bucket (GCRA in counter form) in exact integers.
--   Hash acc:rl:{T}:<scope>:<r|t>:<window ms>, fields u (used units) and t (ms of the last update).
--   One request or token costs `window` units; the capacity is limit * window units; the bucket drains
--   `limit` units per ms, so the whole limit comes back over one window. A missing key is a full
--   bucket: the key expires once its use has drained. Java keeps limit * window <= 2^50 so every sum
--   stays an exact integer in Lua's doubles (< 2^53).
-- Concurrency: sorted set acc:rl:{T}:<scope>:c, request id -> lease expiry (ms).
-- Pending marker: acc:rl:{T}:p:<request id> = "<admitted at ms>|<estimated tokens>" until settled.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function int(n)
  return string.format('%d', n)
end

-- Exact integer division of non-negative integers (the double quotient may be off by one ulp).
local function floor_div(a, b)
  local q = math.floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

local function ceil_div(a, b)
  local q = math.ceil(a / b)
  if q * b < a then
    q = q + 1
  elseif q > 0 and (q - 1) * b >= a then
    q = q - 1
  end
  return q
end

-- Units in use at `now`, after draining since the last update.
local function bucket_used(key, limit, now)
  local v = redis.call('HMGET', key, 'u', 't')
  if not v[1] then
    return 0
  end
  local elapsed = now - tonumber(v[2])
  if elapsed < 0 then
    elapsed = 0 -- the Redis clock stepped back (failover): never refill for negative time
  end
  local used = tonumber(v[1]) - elapsed * limit
  if used < 0 then
    return 0
  end
  return used
end

local function bucket_store(key, used, limit, now)
  if used <= 0 then
    redis.call('DEL', key)
    return
  end
  redis.call('HSET', key, 'u', int(used), 't', int(now))
  -- Gone exactly when drained: a missing key reads as a full bucket.
  redis.call('PEXPIRE', key, int(ceil_div(used, limit)))
end

-- Leases in flight after dropping the expired ones (a crashed proxy never releases its leases).
local function inflight(key, now)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', int(now))
  return redis.call('ZCARD', key)
end

-- Appends {remaining, reset ms} of one limit: whole requests/tokens still free, and the time until the
-- bucket is full again (OpenAI's x-ratelimit-reset-*). Concurrency: free slots, reset 0.
local function push_state(out, kind, limit, window, used, count)
  if kind == 'c' then
    local left = limit - count
    if left < 0 then
      left = 0
    end
    out[#out + 1] = int(left)
    out[#out + 1] = '0'
    return out
  end
  local free = limit * window - used
  local remaining = 0
  if free > 0 then
    remaining = floor_div(free, window)
  end
  out[#out + 1] = int(remaining)
  out[#out + 1] = int(ceil_div(used, limit))
  return out
end
