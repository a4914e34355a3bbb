-- renew: extend a live call's concurrency leases (long streams); an expired lease is never revived.
-- KEYS[1] pending marker, KEYS[2..] the call's concurrency keys
-- ARGV[1] request id, ARGV[2] lease ttl ms, ARGV[3] marker ttl ms
-- Reply: {RENEWED | GONE}
local id, ttl = ARGV[1], tonumber(ARGV[2])
local now = now_ms()
local alive = true
for i = 2, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], id)
  if score and tonumber(score) > now then
    redis.call('ZADD', KEYS[i], 'XX', int(now + ttl), id)
    if redis.call('PTTL', KEYS[i]) < ttl then
      redis.call('PEXPIRE', KEYS[i], int(ttl))
    end
  else
    alive = false
  end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
if alive then
  return {'RENEWED'}
end
return {'GONE'}
