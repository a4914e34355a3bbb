-- renew: push a live lease's expiry out (a long stream still running). Never revives an expired lease.
-- KEYS[1] lease zset, KEYS[2] lease hash; ARGV[1] reservation id, ARGV[2] new ttl ms from now, ARGV[3] sweep limit
-- Reply: {RENEWED, expiry ms} | {UNKNOWN, '0'}
local now = now_ms()
sweep(KEYS[1], KEYS[2], now, tonumber(ARGV[3]))
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return {'UNKNOWN', '0'}
end
local expiry = int(now + tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], 'XX', expiry, ARGV[1])
return {'RENEWED', expiry}
