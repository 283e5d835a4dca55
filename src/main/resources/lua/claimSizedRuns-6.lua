--[[
  Claims due sized runs from one sized queue (partition, resource class, task kind) that fit what the calling
  worker has free, atomically with the fit decision: walks the ready runs by aged priority and claims each one
  whose cpu, memory and GPU needs fit the free amounts left, subtracting as it goes, up to ARGV[1] runs (the
  worker's free class and kind slots). A run that does not fit is skipped, so smaller runs behind it may go.

  Fairness: the walk stops at the first run that would fit the worker's totals (ARGV[6..8]) but not what is
  free, once it has been due for ARGV[9] ms or longer; that run is returned as `blocked` with its due instant,
  and the worker claims no other sized run until it fits (its running runs end and free their share). With
  ARGV[1] = 0 nothing is claimed: the call only looks for such a run (the worker compares queues by it).

  Sized runs are claimed when due only (no pre-claim window). Each claim gets a fencing token and a lease of
  ARGV[2] ms on Redis' clock, exactly as in claimRuns-5, and its needs entry is removed (a requeue writes it
  again). A ready run without a needs entry (it cannot be placed) is dropped from the queue: the reaper puts
  PENDING runs missing from Redis back with their needs.

  Input:
    KEYS[1] delayed  ZSET run -> due ms * 1024 + (1000 - priority)   (sized queue)
    KEYS[2] ready    ZSET run -> due ms - priority * age ms          (sized queue)
    KEYS[3] leases   ZSET run -> lease expiry (ms, Redis TIME)
    KEYS[4] owners   HASH run -> fencing token of the current claim
    KEYS[5] seq      STRING token counter of this partition
    KEYS[6] needs    HASH run -> "cpu_milli,memory_mb,gpu,due_ms"
    ARGV[1] max runs to claim
    ARGV[2] lease duration, ms
    ARGV[3..5] free cpu (thousandths of a core), memory (MiB), GPUs
    ARGV[6..8] total cpu, memory, GPUs of the worker
    ARGV[9] reserve after, ms (how long a run that fits the totals waits before it blocks the others)
    ARGV[10] priority aging, ms per priority point
    ARGV[11] most runs to move from delayed to ready in this call
    ARGV[12] most ready runs to look at in this call

  Output: flat array {now_ms, blocked_run or "", blocked_due_ms or 0, run_1, token_1, needs_1, run_2, ...}
  where needs_i is "cpu_milli,memory_mb,gpu".
]]
local delayedKey, readyKey, leasesKey, ownersKey, seqKey, needsKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local maxRuns = tonumber(ARGV[1])
local leaseMs = tonumber(ARGV[2])
local freeCpu, freeMem, freeGpu = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local totalCpu, totalMem, totalGpu = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local reserveAfterMs = tonumber(ARGV[9])
local ageMs = tonumber(ARGV[10])
local moveMax = tonumber(ARGV[11])
local scanMax = tonumber(ARGV[12])

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

local out = {nowMs, '', 0}
local claimed = 0
for _, run in ipairs(redis.call('ZRANGE', readyKey, 0, scanMax - 1)) do
  local entry = redis.call('HGET', needsKey, run)
  if not entry or redis.call('HEXISTS', ownersKey, run) == 1 then
    -- unplaceable without its needs, or a duplicate of a claimed run: its holder or the reaper decides
    redis.call('ZREM', readyKey, run)
  else
    local cpu, mem, gpu, dueMs = string.match(entry, '^(%d+),(%d+),(%d+),(%-?%d+)$')
    cpu, mem, gpu, dueMs = tonumber(cpu), tonumber(mem), tonumber(gpu), tonumber(dueMs)
    if claimed < maxRuns and cpu <= freeCpu and mem <= freeMem and gpu <= freeGpu then
      redis.call('ZREM', readyKey, run)
      redis.call('HDEL', needsKey, run)
      local token = string.format('%d', redis.call('INCR', seqKey))
      redis.call('HSET', ownersKey, run, token)
      redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
      out[#out + 1] = run
      out[#out + 1] = token
      out[#out + 1] = cpu .. ',' .. mem .. ',' .. gpu
      freeCpu, freeMem, freeGpu = freeCpu - cpu, freeMem - mem, freeGpu - gpu
      claimed = claimed + 1
      if claimed >= maxRuns then
        break
      end
    elseif cpu <= totalCpu and mem <= totalMem and gpu <= totalGpu and nowMs - dueMs >= reserveAfterMs then
      out[2] = run
      out[3] = dueMs
      break
    end
  end
end
return out
