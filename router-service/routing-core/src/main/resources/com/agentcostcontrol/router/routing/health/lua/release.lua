-- release_probe: a granted probe that was not sent after all (client gone, plan aborted).
-- ARGV: 1 idle ttl ms
local key = KEYS[1]
local now = now_ms()
local h = load(key)
local s = {}
if num(h['probe']) > 0 then
  s['probe'] = '0'
  save(key, h, s, now, tonumber(ARGV[1]))
end
return reply('released', now, h, s)
