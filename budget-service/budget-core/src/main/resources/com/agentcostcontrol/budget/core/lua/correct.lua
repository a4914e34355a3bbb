-- correct: reconciliation's compare-and-set of settled spend. For each counter, when its spent is
-- still the value the reconciler observed, it becomes the ledger's total; otherwise something
-- settled in between and the counter is left for the next round (never overwrite a concurrent
-- settle). A counter that no longer exists (period rolled over, budget deleted) is left alone.
-- KEYS[1..] counters; ARGV per counter: observed spent, ledger spent
-- Reply: {'CORRECTED', '0', applied1 ('1'|'0'), spent1, reserved1, ...}
local out = {'CORRECTED', '0'}
for i = 1, #KEYS do
  local observed = ARGV[2 * i - 1]
  local ledger = ARGV[2 * i]
  local applied = '0'
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local current = redis.call('HGET', KEYS[i], 'spent') or '0'
    if current == observed and current ~= ledger then
      redis.call('HSET', KEYS[i], 'spent', ledger)
      applied = '1'
    end
  end
  local v = redis.call('HMGET', KEYS[i], 'spent', 'reserved')
  out[#out + 1] = applied
  out[#out + 1] = v[1] or '0'
  out[#out + 1] = v[2] or '0'
end
return out
