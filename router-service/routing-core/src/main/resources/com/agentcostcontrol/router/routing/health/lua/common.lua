-- Shared by every health script (prepended by LuaScript). One deployment's health is one hash,
-- KEYS[1] = acc:health:{<deployment id>}, so a script touches one cluster slot.
--
-- Times are epoch milliseconds of the REDIS clock (TIME), so proxies with skewed clocks agree.
-- Integers go back to Redis as '%d' strings (never tostring() of a double).
--
-- Fields:
--   until        cooldown end (ms); 0/absent = closed. until > now: cooling down;
--                0 < until <= now: half-open (cooldown over, not yet closed by a success)
--   cause        why the current cooldown started: failures | retry-after | probe-failed
--   fails, win   consecutive counted failures and the start of their window (ms)
--   trips        cooldowns in a row without a successful close (exponent of the backoff)
--   cooldowns    cooldowns started, ever (a counter for metrics)
--   probe        end of the half-open probe lease (ms); one probe at a time
--   fail_kind, fail_at, ok_at   last failure kind and time, last success time
--   lat, lat_n   EWMA of successful attempt latency (ms) and its sample count
--   rl_req, rl_req_reset, rl_tok, rl_tok_reset   provider rate-limit headroom and when it resets

local FIELDS = {'until', 'cause', 'fails', 'win', 'trips', 'cooldowns', 'probe', 'fail_kind', 'fail_at', 'ok_at',
  'lat', 'lat_n', 'rl_req', 'rl_req_reset', 'rl_tok', 'rl_tok_reset'}

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function int(n)
  return string.format('%d', n)
end

local function num(v)
  if v == nil or v == false or v == '' then
    return 0
  end
  return tonumber(v) or 0
end

local function load(key)
  local values = redis.call('HMGET', key, unpack(FIELDS))
  local h = {}
  for i, f in ipairs(FIELDS) do
    h[f] = values[i]
  end
  return h
end

-- The value of field f after the changes in s.
local function get(h, s, f)
  if s[f] ~= nil then
    return s[f]
  end
  return h[f]
end

-- Writes the changed fields and keeps the hash alive for idle_ms past any cooldown.
local function save(key, h, s, now, idle_ms)
  local args = {}
  for f, v in pairs(s) do
    args[#args + 1] = f
    args[#args + 1] = v
  end
  if #args > 0 then
    redis.call('HSET', key, unpack(args))
  end
  local until_ms = num(get(h, s, 'until'))
  local ttl = idle_ms
  if until_ms > now then
    ttl = ttl + (until_ms - now)
  end
  if redis.call('EXISTS', key) == 1 then
    redis.call('PEXPIRE', key, int(ttl))
  end
end

-- Provider rate-limit headroom from the last response: remaining requests / tokens and the reset
-- delay (ms), or the default window when the provider gave none. '' = not reported.
local function rate_limits(s, now, req, req_reset, tok, tok_reset, default_reset)
  if req ~= '' then
    s['rl_req'] = req
    s['rl_req_reset'] = int(now + (req_reset ~= '' and tonumber(req_reset) or tonumber(default_reset)))
  end
  if tok ~= '' then
    s['rl_tok'] = tok
    s['rl_tok_reset'] = int(now + (tok_reset ~= '' and tonumber(tok_reset) or tonumber(default_reset)))
  end
end

-- The reply: {result, now, field values in FIELDS order ('' when absent)}.
local function reply(result, now, h, s)
  local out = {result, int(now)}
  for _, f in ipairs(FIELDS) do
    local v = get(h, s, f)
    if v == nil or v == false then
      v = ''
    end
    out[#out + 1] = v
  end
  return out
end

-- Cooldown of the n-th trip in a row: base * multiplier^(n-1), capped.
local function cooldown_ms(trips, base, multiplier, max)
  local c = base * (multiplier ^ (trips - 1))
  if c > max then
    c = max
  end
  return math.floor(c)
end
