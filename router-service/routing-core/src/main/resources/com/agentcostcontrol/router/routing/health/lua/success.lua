-- record_success: one successful attempt.
-- ARGV: 1 latency ms ('' none), 2 EWMA alpha, 3 idle ttl ms, 4 remaining requests,
--       5 requests reset ms, 6 remaining tokens, 7 tokens reset ms, 8 default rate-limit reset ms
-- Result: closed (half-open -> healthy) | cooling (a straggler during a cooldown: the cooldown
--         stands) | recorded
local key = KEYS[1]
local now = now_ms()
local h = load(key)
local s = {}
local result = 'recorded'
local until_ms = num(h['until'])

if until_ms > now then
  result = 'cooling'
elseif until_ms > 0 then
  s['until'] = '0'
  s['trips'] = '0'
  s['fails'] = '0'
  s['win'] = '0'
  s['probe'] = '0'
  s['cause'] = ''
  result = 'closed'
elseif num(h['fails']) > 0 then
  -- failures must be consecutive to trip the breaker
  s['fails'] = '0'
  s['win'] = '0'
end
s['ok_at'] = int(now)

if ARGV[1] ~= '' then
  local sample = tonumber(ARGV[1])
  local n = num(h['lat_n'])
  local ewma = sample
  if n > 0 and h['lat'] then
    local alpha = tonumber(ARGV[2])
    ewma = alpha * sample + (1 - alpha) * tonumber(h['lat'])
  end
  s['lat'] = string.format('%.3f', ewma)
  s['lat_n'] = int(n + 1)
end

rate_limits(s, now, ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
save(key, h, s, now, tonumber(ARGV[3]))
return reply(result, now, h, s)
