-- record_failure: one failed attempt.
-- ARGV: 1 kind, 2 counts toward cooldown (1|0), 3 retry-after ms ('' none), 4 threshold,
--       5 window ms, 6 base cooldown ms, 7 multiplier, 8 max cooldown ms, 9 idle ttl ms,
--       10 remaining requests, 11 requests reset ms, 12 remaining tokens, 13 tokens reset ms,
--       14 default rate-limit reset ms
-- Result: opened (a cooldown started) | reopened (the half-open probe failed) | cooling (already
--         cooling down; a straggler) | recorded
local key = KEYS[1]
local now = now_ms()
local h = load(key)
local s = {}
local result = 'recorded'
local until_ms = num(h['until'])

s['fail_kind'] = ARGV[1]
s['fail_at'] = int(now)

if ARGV[2] == '1' then
  local threshold = tonumber(ARGV[4])
  local window = tonumber(ARGV[5])
  local base, multiplier, max = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
  if until_ms > 0 and now >= until_ms then
    -- half-open: the probe (or a call let through after the cooldown) failed: open again, longer
    local trips = num(h['trips']) + 1
    s['until'] = int(now + cooldown_ms(trips, base, multiplier, max))
    s['trips'] = int(trips)
    s['cause'] = 'probe-failed'
    s['cooldowns'] = int(num(h['cooldowns']) + 1)
    s['probe'] = '0'
    result = 'reopened'
  elseif until_ms > now then
    -- cooling down already: a call that started before the cooldown; it changes nothing
    result = 'cooling'
  else
    local win = num(h['win'])
    local fails = num(h['fails'])
    if win == 0 or now - win > window then
      fails = 0
      win = now
    end
    fails = fails + 1
    s['fails'] = int(fails)
    s['win'] = int(win)
    if fails >= threshold then
      local trips = num(h['trips']) + 1
      s['until'] = int(now + cooldown_ms(trips, base, multiplier, max))
      s['trips'] = int(trips)
      s['cause'] = 'failures'
      s['cooldowns'] = int(num(h['cooldowns']) + 1)
      s['probe'] = '0'
      result = 'opened'
    end
  end
elseif until_ms > 0 and now >= until_ms then
  -- an outcome that says nothing about the deployment (context window): free the probe slot
  s['probe'] = '0'
end

-- Retry-After: nobody tries the deployment again before then.
if ARGV[3] ~= '' then
  local not_before = now + tonumber(ARGV[3])
  local current = num(get(h, s, 'until'))
  if not_before > current then
    if current <= now then
      s['cooldowns'] = int(num(get(h, s, 'cooldowns')) + 1)
      s['cause'] = 'retry-after'
      if result == 'recorded' then
        result = 'opened'
      end
    end
    s['until'] = int(not_before)
    s['probe'] = '0'
  end
end

rate_limits(s, now, ARGV[10], ARGV[11], ARGV[12], ARGV[13], ARGV[14])
save(key, h, s, now, tonumber(ARGV[9]))
return reply(result, now, h, s)
