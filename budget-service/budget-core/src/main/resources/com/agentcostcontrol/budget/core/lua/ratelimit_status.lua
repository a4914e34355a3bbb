-- status: the current state of some limits, taking nothing (expired concurrency leases are dropped).
-- KEYS[1..] one key per limit; ARGV per limit: kind, limit, window ms
-- Reply: {'OK', '0', '0', then per limit: remaining, reset ms}
local now = now_ms()
local out = {'OK', '0', '0'}
for i = 1, #KEYS do
  local base = 3 * (i - 1)
  local kind, limit, window = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  if kind == 'c' then
    push_state(out, kind, limit, window, 0, inflight(KEYS[i], now))
  else
    push_state(out, kind, limit, window, bucket_used(KEYS[i], limit, now), 0)
  end
end
return out
