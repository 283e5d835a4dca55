--[[
  Puts runs into a ready queue unless they are already there or currently claimed. Idempotent: the
  scheduler calls it after its commit and the reaper calls it again for runs Redis has lost.

  Input:
    KEYS[1] ready   ZSET run -> score
    KEYS[2] owners  HASH run -> fencing token (a claimed run is not re-queued)
    ARGV[1..] pairs: score, run

  Output: the number of runs added.
]]
local readyKey, ownersKey = KEYS[1], KEYS[2]

local added = 0
for i = 1, #ARGV, 2 do
  local score, run = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', ownersKey, run) == 0 then
    added = added + redis.call('ZADD', readyKey, 'NX', score, run)
  end
end
return added
