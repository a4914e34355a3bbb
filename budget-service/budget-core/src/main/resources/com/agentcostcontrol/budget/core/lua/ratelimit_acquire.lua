-- acquire: take every rate limit of one call, all or nothing.
-- KEYS[1] pending marker, KEYS[2..] one key per limit
-- ARGV[1] request id, ARGV[2] estimated tokens, ARGV[3] lease ttl ms, ARGV[4] marker ttl ms,
--   ARGV[5] wait ms reported when a concurrency limit refuses,
--   then per limit: kind ('r' requests | 't' tokens | 'c' concurrency), limit, window ms
-- Reply: {status, refusing limit index (1-based, '0' = none), wait ms ('-1' = never fits),
--   then per limit: remaining, reset ms}; admitted: values after this call, otherwise before it.
--   status ADMITTED | DUPLICATE (this request id already holds its limits) | REFUSED | TOO_LARGE
local id = ARGV[1]
local est = tonumber(ARGV[2])
local lease_ttl, marker_ttl, busy_wait = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local n = #KEYS - 1
local now = now_ms()

local kinds, limits, windows, used, count = {}, {}, {}, {}, {}
for i = 1, n do
  local base = 5 + 3 * (i - 1)
  kinds[i], limits[i], windows[i] = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  if kinds[i] == 'c' then
    count[i] = inflight(KEYS[i + 1], now)
  else
    used[i] = bucket_used(KEYS[i + 1], limits[i], now)
  end
end

local function reply(status, refusing, wait)
  local out = {status, int(refusing), int(wait)}
  for i = 1, n do
    push_state(out, kinds[i], limits[i], windows[i], used[i], count[i])
  end
  return out
end

if redis.call('EXISTS', KEYS[1]) == 1 then
  -- A retried acquire (the first reply was lost): the limits are already taken once.
  return reply('DUPLICATE', 0, 0)
end

-- A request larger than a token limit can never be admitted; otherwise the refusal with the longest
-- wait is reported, because retrying earlier would be refused by it anyway.
local refusing, wait, too_large = 0, -1, false
for i = 1, n do
  local w = nil
  if kinds[i] == 'c' then
    if count[i] >= limits[i] then
      w = busy_wait
    end
  elseif kinds[i] == 't' and est > limits[i] then
    if not too_large then
      refusing, wait, too_large = i, -1, true
    end
  else
    local cost = windows[i]
    if kinds[i] == 't' then
      cost = est * windows[i]
    end
    local over = used[i] + cost - limits[i] * windows[i]
    if over > 0 then
      w = ceil_div(over, limits[i])
    end
  end
  if w ~= nil and not too_large and w > wait then
    refusing, wait = i, w
  end
end
if too_large then
  return reply('TOO_LARGE', refusing, -1)
end
if refusing > 0 then
  return reply('REFUSED', refusing, wait)
end

for i = 1, n do
  local key = KEYS[i + 1]
  if kinds[i] == 'c' then
    redis.call('ZADD', key, int(now + lease_ttl), id)
    count[i] = count[i] + 1
    if redis.call('PTTL', key) < lease_ttl then
      redis.call('PEXPIRE', key, int(lease_ttl))
    end
  else
    local cost = windows[i]
    if kinds[i] == 't' then
      cost = est * windows[i]
    end
    used[i] = used[i] + cost
    bucket_store(key, used[i], limits[i], now)
  end
end
redis.call('SET', KEYS[1], int(now) .. '|' .. int(est), 'PX', int(marker_ttl))
return reply('ADMITTED', 0, 0)
