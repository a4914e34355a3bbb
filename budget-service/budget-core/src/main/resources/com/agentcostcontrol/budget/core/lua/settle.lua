-- settle: replace a reservation with the actual cost, exactly once per reservation id.
-- KEYS[1] lease zset, KEYS[2] lease hash, KEYS[3] settled marker, KEYS[4..] counters
-- ARGV[1] reservation id, ARGV[2] actual cost, ARGV[3] settled-marker ttl seconds, ARGV[4] sweep limit,
--   then per counter: expire-at epoch seconds ('0' = never)
-- Reply: {status, released amount, spent1, reserved1, ...} with values after this call.
--   status SETTLED (lease found) | LATE (lease already expired or unknown: the cost still counts,
--   money spent is spent) | DUPLICATE (already settled: nothing changes; released = the first actual).
local id, actual = ARGV[1], ARGV[2]
local done = redis.call('GET', KEYS[3])
if done then
  return append({'DUPLICATE', done}, counter_values(KEYS, 4))
end

-- Our own lease first, even if expired and not yet swept: its amount is released exactly once.
local released = drop_lease(KEYS[1], KEYS[2], id)
sweep(KEYS[1], KEYS[2], now_ms(), tonumber(ARGV[4]))

for i = 4, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'spent', actual)
  redis.call('HSETNX', KEYS[i], 'reserved', '0')
  local expire_at = ARGV[4 + (i - 3)]
  if expire_at ~= '0' then
    redis.call('EXPIREAT', KEYS[i], expire_at)
  end
end
redis.call('SET', KEYS[3], actual, 'EX', ARGV[3])
if released then
  return append({'SETTLED', released}, counter_values(KEYS, 4))
end
return append({'LATE', '0'}, counter_values(KEYS, 4))
