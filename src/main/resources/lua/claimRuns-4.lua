--[[
  Claims up to ARGV[1] due runs from one ready queue: pops them in score order (fire time, then
  priority), gives each a fencing token and a lease that expires ARGV[2] ms from Redis' own clock.

  Input:
    KEYS[1] ready   ZSET run -> score (fire ms * 1024 + 1000 - priority)
    KEYS[2] leases  ZSET run -> lease expiry (ms, Redis TIME)
    KEYS[3] owners  HASH run -> fencing token of the current claim
    KEYS[4] seq     STRING token counter of this partition
    ARGV[1] max runs to claim
    ARGV[2] lease duration, ms

  Output: flat array {run_1, token_1, run_2, token_2, ...}; empty when nothing is due. May hold fewer
  than ARGV[1] runs although more are due: duplicate entries of claimed runs are dropped, not claimed.

  Tokens start from Redis' clock (tenths of a millisecond) when the counter is missing, so a counter lost
  in a FLUSHALL or an empty restart resumes above every token handed out before (unless this partition
  averaged over 10 claims per ms since then). Tokens stay below 10^14, so Lua formats them exactly.
]]
local readyKey, leasesKey, ownersKey, seqKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local maxRuns = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local maxScore = nowMs * 1024 + 1023
redis.call('SET', seqKey, t[1] .. string.format('%04d', math.floor(tonumber(t[2]) / 100)), 'NX')

local due = redis.call('ZRANGEBYSCORE', readyKey, '-inf', maxScore, 'LIMIT', 0, maxRuns)
local out = {}
for _, run in ipairs(due) do
  redis.call('ZREM', readyKey, run)
  -- a run that is claimed already was queued twice (a re-enqueue raced its claim): its holder keeps it
  if redis.call('HEXISTS', ownersKey, run) == 0 then
    local token = string.format('%d', redis.call('INCR', seqKey))
    redis.call('HSET', ownersKey, run, token)
    redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
    out[#out + 1] = run
    out[#out + 1] = token
  end
end
return out
