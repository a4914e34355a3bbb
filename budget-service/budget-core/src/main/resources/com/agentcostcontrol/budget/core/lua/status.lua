-- status: current spent and reserved of counters, after releasing expired leases.
-- KEYS[1] lease zset, KEYS[2] lease hash, KEYS[3] synced marker, KEYS[4..] counters; ARGV[1] sweep limit
-- Reply: {synced '1'|'0', '0', spent1, reserved1, ...}
sweep(KEYS[1], KEYS[2], now_ms(), tonumber(ARGV[1]))
local synced = redis.call('EXISTS', KEYS[3]) == 1 and '1' or '0'
return append({synced, '0'}, counter_values(KEYS, 4))
