-- release: give back a reservation whose call was refused or failed before any spend.
-- KEYS[1] lease zset, KEYS[2] lease hash; ARGV[1] reservation id, ARGV[2] sweep limit
-- Reply: {RELEASED, amount} | {UNKNOWN, '0'} (already settled, released or expired)
local released = drop_lease(KEYS[1], KEYS[2], ARGV[1])
sweep(KEYS[1], KEYS[2], now_ms(), tonumber(ARGV[2]))
if released then
  return {'RELEASED', released}
end
return {'UNKNOWN', '0'}
