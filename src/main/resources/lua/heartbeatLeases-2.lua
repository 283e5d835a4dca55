--[[
  Extends the leases a worker still holds. A lease is extended only when the caller's token is the
  current owner's and the lease has not expired by Redis' clock, so a worker that was paused past its
  lease cannot take a run back, not even before the reaper got to settle it.

  A lease whose owner entry is gone altogether is put back when the caller says its lease cannot have
  expired yet (by its own count since its last successful heartbeat): then only Redis can have lost it
  (FLUSHALL, restart without persistence), and the task keeps running instead of being abandoned.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1] lease duration, ms
    ARGV[2..] triples: run, token, may_restore (1 or 0)

  Output: array with one entry per triple: 1 = extended, 2 = restored after Redis lost it,
          0 = lost (another claim owns it, it expired, or it is gone and may not be restored).
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]
local leaseMs = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local out = {}
for i = 2, #ARGV, 3 do
  local run, token, mayRestore = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local owner = redis.call('HGET', ownersKey, run)
  local expiry = redis.call('ZSCORE', leasesKey, run)
  if owner == token and expiry and tonumber(expiry) < nowMs then
    -- expired: the reaper settles it from Postgres; extending it now would race that
    out[#out + 1] = 0
  elseif owner == token then
    redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
    out[#out + 1] = 1
  elseif owner == false and mayRestore == '1' then
    redis.call('HSET', ownersKey, run, token)
    redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
    out[#out + 1] = 2
  else
    out[#out + 1] = 0
  end
end
return out
