--[[
  Puts runs into their queue unless they are already queued or currently claimed: into `ready` when due
  (by Redis' clock), else into `delayed` until they are. Idempotent: the scheduler calls it after its
  commit and the reaper calls it again for runs Redis has lost.

  Input:
    KEYS[1] delayed  ZSET run -> due ms * 1024 + (1000 - priority)
    KEYS[2] ready    ZSET run -> due ms - priority * age ms
    KEYS[3] owners   HASH run -> fencing token (a claimed run is not re-queued)
    ARGV[1] priority aging, ms per priority point
    ARGV[2..] pairs: delayed score, run

  Output: the number of runs added.
]]
local delayedKey, readyKey, ownersKey = KEYS[1], KEYS[2], KEYS[3]
local ageMs = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local added = 0
for i = 2, #ARGV, 2 do
  local score, run = tonumber(ARGV[i]), ARGV[i + 1]
  if redis.call('HEXISTS', ownersKey, run) == 0 and not redis.call('ZSCORE', readyKey, run)
      and not redis.call('ZSCORE', delayedKey, run) then
    local dueMs = math.floor(score / 1024)
    if dueMs <= nowMs then
      redis.call('ZADD', readyKey, dueMs - (1000 - (score - dueMs * 1024)) * ageMs, run)
    else
      redis.call('ZADD', delayedKey, score, run)
    end
    added = added + 1
  end
end
return added
