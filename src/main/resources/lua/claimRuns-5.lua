--[[
  Claims runs from one queue (partition, resource class, task kind): first the due ones, highest aged
  priority first; then, if the caller has room left, runs due within its pre-claim window, earliest first,
  which it holds on a local timer until their instant. Each claimed run gets a fencing token and a lease
  that expires ARGV[2] ms after its instant (or after now, for a due run), on Redis' own clock.

  A run waits in `delayed` until it is due, then in `ready`, ordered by aged priority: due ms minus
  priority x ARGV[4]. Due runs are moved from `delayed` to `ready` here, up to ARGV[5] per call.

  Input:
    KEYS[1] delayed  ZSET run -> due ms * 1024 + (1000 - priority)   (queue.Scores)
    KEYS[2] ready    ZSET run -> due ms - priority * age ms
    KEYS[3] leases   ZSET run -> lease expiry (ms, Redis TIME)
    KEYS[4] owners   HASH run -> fencing token of the current claim
    KEYS[5] seq      STRING token counter of this partition
    ARGV[1] max runs to claim
    ARGV[2] lease duration, ms
    ARGV[3] pre-claim window, ms (0: due runs only)
    ARGV[4] priority aging, ms per priority point
    ARGV[5] most runs to move from delayed to ready in this call

  Output: flat array {now_ms, run_1, token_1, due_ms_1, run_2, token_2, due_ms_2, ...}. May hold fewer runs
  than ARGV[1] although more are due: duplicate entries of claimed runs are dropped, not claimed.

  Tokens start from Redis' clock (tenths of a millisecond) when the counter is missing, so a counter lost
  in a FLUSHALL or an empty restart resumes above every token handed out before (unless this partition
  averaged over 10 claims per ms since then). Tokens stay below 10^14, so Lua formats them exactly.
]]
local delayedKey, readyKey, leasesKey, ownersKey, seqKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local maxRuns = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local ageMs = tonumber(ARGV[4])
local moveMax = tonumber(ARGV[5])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('SET', seqKey, t[1] .. string.format('%04d', math.floor(tonumber(t[2]) / 100)), 'NX')

local due = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', nowMs * 1024 + 1023, 'WITHSCORES', 'LIMIT', 0, moveMax)
for i = 1, #due, 2 do
  local score = tonumber(due[i + 1])
  local dueMs = math.floor(score / 1024)
  local priority = 1000 - (score - dueMs * 1024)
  redis.call('ZREM', delayedKey, due[i])
  redis.call('ZADD', readyKey, dueMs - priority * ageMs, due[i])
end

local out = {nowMs}
local claimed = 0
local function claim(run, dueMs)
  -- a run that is claimed already was queued twice (a re-enqueue raced its claim): its holder keeps it
  if redis.call('HEXISTS', ownersKey, run) == 0 then
    local token = string.format('%d', redis.call('INCR', seqKey))
    redis.call('HSET', ownersKey, run, token)
    -- a run claimed ahead is held until its instant: its lease runs from then
    redis.call('ZADD', leasesKey, math.max(nowMs, dueMs) + leaseMs, run)
    out[#out + 1] = run
    out[#out + 1] = token
    out[#out + 1] = dueMs
    claimed = claimed + 1
  end
end

for _, run in ipairs(redis.call('ZRANGE', readyKey, 0, maxRuns - 1)) do
  redis.call('ZREM', readyKey, run)
  claim(run, nowMs)
end

if claimed < maxRuns and windowMs > 0 then
  local soon = redis.call('ZRANGEBYSCORE', delayedKey, '-inf', (nowMs + windowMs) * 1024 + 1023, 'WITHSCORES',
      'LIMIT', 0, maxRuns - claimed)
  for i = 1, #soon, 2 do
    redis.call('ZREM', delayedKey, soon[i])
    claim(soon[i], math.floor(tonumber(soon[i + 1]) / 1024))
  end
end
return out
