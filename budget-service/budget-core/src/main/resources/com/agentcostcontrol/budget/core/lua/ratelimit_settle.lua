-- settle: replace a call's token estimate with its actual count and end its concurrency leases,
-- exactly once per request id (the pending marker is consumed).
-- KEYS[1] pending marker, KEYS[2..] the call's limit keys (as at acquire)
-- ARGV[1] request id, ARGV[2] actual tokens, then per limit: kind, limit, window ms
-- Reply: {status, '0', '0', then per limit: remaining, reset ms after this call}
--   status SETTLED | UNKNOWN (already settled, or the marker expired: tokens unchanged, leases still ended)
local id, actual = ARGV[1], tonumber(ARGV[2])
local n = #KEYS - 1
local now = now_ms()

local marker = redis.call('GET', KEYS[1])
local at, est = nil, nil
if marker then
  local sep = string.find(marker, '|', 1, true)
  at, est = tonumber(string.sub(marker, 1, sep - 1)), tonumber(string.sub(marker, sep + 1))
  redis.call('DEL', KEYS[1])
end

local out = {marker and 'SETTLED' or 'UNKNOWN', '0', '0'}
for i = 1, n do
  local base = 2 + 3 * (i - 1)
  local kind, limit, window = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  local key = KEYS[i + 1]
  if kind == 'c' then
    redis.call('ZREM', key, id)
    push_state(out, kind, limit, window, 0, inflight(key, now))
  else
    local used = bucket_used(key, limit, now)
    if kind == 't' and marker and actual ~= est then
      if actual < est then
        -- Give back only what of the estimate has not drained yet (as if the call drained first):
        -- capacity that already came back must not be handed out twice.
        local elapsed = now - at
        if elapsed < 0 then
          elapsed = 0
        end
        local drained = elapsed * limit
        local held_est = est * window - drained
        if held_est < 0 then
          held_est = 0
        end
        local held_actual = actual * window - drained
        if held_actual < 0 then
          held_actual = 0
        end
        used = used - (held_est - held_actual)
        if used < 0 then
          used = 0
        end
      else
        -- An underestimate is charged in full (capped at four windows of debt).
        local extra = actual - est
        if extra > 4 * limit then
          extra = 4 * limit
        end
        used = used + extra * window
      end
      bucket_store(key, used, limit, now)
    end
    push_state(out, kind, limit, window, used, 0)
  end
end
return out
