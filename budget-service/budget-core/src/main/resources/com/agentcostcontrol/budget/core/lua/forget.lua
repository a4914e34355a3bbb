-- forget: delete counters of a deleted budget (leases that still name them skip missing counters).
-- KEYS: counters of one tenant. Reply: {'FORGOTTEN', deleted count}
return {'FORGOTTEN', int(redis.call('DEL', unpack(KEYS)))}
