-- acquire_probe: may this caller send a request to a deployment whose cooldown is over
-- (half-open)? One caller at a time: the first gets a lease, the others are refused until the
-- probe's outcome is recorded or its lease ends.
-- ARGV: 1 lease ms, 2 idle ttl ms
-- Result: granted | closed (healthy: no probe needed, go ahead) | cooling | busy
local key = KEYS[1]
local now = now_ms()
local h = load(key)
local s = {}
local result
local until_ms = num(h['until'])

if until_ms == 0 then
  result = 'closed'
elseif until_ms > now then
  result = 'cooling'
elseif num(h['probe']) > now then
  result = 'busy'
else
  s['probe'] = int(now + tonumber(ARGV[1]))
  result = 'granted'
end

if next(s) ~= nil then
  save(key, h, s, now, tonumber(ARGV[2]))
end
return reply(result, now, h, s)
