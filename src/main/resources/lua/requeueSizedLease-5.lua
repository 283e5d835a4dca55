--[[
  Hands a claimed sized run back to its sized queue, as requeueLease-4 does, and records its needs again
  (the claim removed them), if the caller's token still owns it.

  Input:
    KEYS[1] leases   ZSET run -> lease expiry (ms)
    KEYS[2] owners   HASH run -> fencing token
    KEYS[3] delayed  ZSET run -> due ms * 1024 + (1000 - priority)   (sized queue)
    KEYS[4] ready    ZSET run -> due ms - priority * age ms          (sized queue)
    KEYS[5] needs    HASH run -> "cpu_milli,memory_mb,gpu,due_ms"
    ARGV[1] run
    ARGV[2] token
    ARGV[3] delayed score to queue it with
    ARGV[4] priority aging, ms per priority point
    ARGV[5] "cpu_milli,memory_mb,gpu"

  Output: 1 = re-queued; 0 = fenced (another claim owns it, or it is gone).
]]
local leasesKey, ownersKey, delayedKey, readyKey, needsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local run, token, score, ageMs, needs = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]

if redis.call('HGET', ownersKey, run) ~= token then
  return 0
end
redis.call('HDEL', ownersKey, run)
redis.call('ZREM', leasesKey, run)

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local dueMs = math.floor(score / 1024)
if dueMs <= nowMs then
  redis.call('ZADD', readyKey, dueMs - (1000 - (score - dueMs * 1024)) * ageMs, run)
else
  redis.call('ZADD', delayedKey, score, run)
end
redis.call('HSET', needsKey, run, needs .. ',' .. dueMs)
return 1
