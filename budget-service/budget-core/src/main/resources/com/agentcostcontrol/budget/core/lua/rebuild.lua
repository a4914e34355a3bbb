-- rebuild: restore counters from ledger totals after Redis lost them, then mark the tenant synced.
-- Spent becomes max(current, ledger): Redis may be ahead of the ledger (settled calls whose usage
-- event is not consumed yet), never behind it, so taking the larger value never forgets spend.
-- KEYS[1] synced marker, KEYS[2..] counters; ARGV per counter: ledger spent, expire-at ('0' = never)
-- Reply: {'REBUILT', '0', spent1, reserved1, ...}
for i = 2, #KEYS do
  local ledger = ARGV[2 * (i - 1) - 1]
  local current = redis.call('HGET', KEYS[i], 'spent')
  if current == false or tonumber(current) < tonumber(ledger) then
    redis.call('HSET', KEYS[i], 'spent', ledger)
  end
  redis.call('HSETNX', KEYS[i], 'reserved', '0')
  local expire_at = ARGV[2 * (i - 1)]
  if expire_at ~= '0' then
    redis.call('EXPIREAT', KEYS[i], expire_at)
  end
end
redis.call('SET', KEYS[1], '1')
return append({'REBUILT', '0'}, counter_values(KEYS, 2))
