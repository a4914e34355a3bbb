-- status: read one deployment's health with the Redis clock's now. No writes.
local key = KEYS[1]
local now = now_ms()
return reply('status', now, load(key), {})
