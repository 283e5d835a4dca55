--[[
  Claims up to ARGV[1] due runs from one ready queue: pops them in score order (fire time, then
  priority), gives each a fencing token and a lease that expires ARGV[3] ms from Redis' own clock.

  Input:
    KEYS[1] ready   ZSET run -> score (fire ms * 1024 + 1000 - priority)
    KEYS[2] leases  ZSET run -> lease expiry (ms, Redis TIME)
    KEYS[3] owners  HASH run -> fencing token of the current claim
    KEYS[4] seq     STRING token counter of this partition
    ARGV[1] max runs to claim
    ARGV[2] lease duration, ms

  Output: flat array {run_1, token_1, run_2, token_2, ...}; empty when nothing is due.
]]
local readyKey, leasesKey, ownersKey, seqKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local maxRuns = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maxScore = nowMs * 1024 + 1023

local due = redis.call('ZRANGEBYSCORE', readyKey, '-inf', maxScore, 'LIMIT', 0, maxRuns)
local out = {}
for _, run in ipairs(due) do
  redis.call('ZREM', readyKey, run)
  local token = redis.call('INCR', seqKey)
  redis.call('HSET', ownersKey, run, token)
  redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
  out[#out + 1] = run
  out[#out + 1] = tostring(token)
end
return out
