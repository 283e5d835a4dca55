--[[
  Puts sized runs (runs that reserve cpu, memory or GPUs) into their queue unless already queued or claimed,
  as enqueueRuns-3 does, and records each one's needs and due instant for the sized claim (claimSizedRuns-6).
  Idempotent: the scheduler calls it after its commit and the reaper again for runs Redis has lost.

  Input:
    KEYS[1] delayed  ZSET run -> due ms * 1024 + (1000 - priority)   (sized queue of one class and kind)
    KEYS[2] ready    ZSET run -> due ms - priority * age ms          (sized queue of one class and kind)
    KEYS[3] owners   HASH run -> fencing token (a claimed run is not re-queued)
    KEYS[4] needs    HASH run -> "cpu_milli,memory_mb,gpu,due_ms"
    ARGV[1] priority aging, ms per priority point
    ARGV[2..] triples: delayed score, run, "cpu_milli,memory_mb,gpu"

  Output: the number of runs added.
]]
local delayedKey, readyKey, ownersKey, needsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ageMs = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local added = 0
for i = 2, #ARGV, 3 do
  local score, run, needs = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2]
  if redis.call('HEXISTS', ownersKey, run) == 0 and not redis.call('ZSCORE', readyKey, run)
      and not redis.call('ZSCORE', delayedKey, run) then
    local dueMs = math.floor(score / 1024)
    if dueMs <= nowMs then
      redis.call('ZADD', readyKey, dueMs - (1000 - (score - dueMs * 1024)) * ageMs, run)
    else
      redis.call('ZADD', delayedKey, score, run)
    end
    redis.call('HSET', needsKey, run, needs .. ',' .. dueMs)
    added = added + 1
  end
end
return added
