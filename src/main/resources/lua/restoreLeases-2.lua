--[[
  Puts back the leases of runs that Postgres says are RUNNING under a token but that Redis has no owner
  entry for (it lost them). Each restored lease lasts one lease period from now: a live worker's next
  heartbeat extends it; if the worker is dead it expires and the reaper settles the run as usual.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1] lease duration, ms
    ARGV[2..] pairs: run, token

  Output: the runs restored (a run that has an owner entry, whoever it is, is left alone).
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]
local leaseMs = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local out = {}
for i = 2, #ARGV, 2 do
  local run, token = ARGV[i], ARGV[i + 1]
  if redis.call('HSETNX', ownersKey, run, token) == 1 then
    redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
    out[#out + 1] = run
  end
end
return out
