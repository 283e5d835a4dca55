--[[
  Lists leases that have expired by Redis' clock (a worker died, hung or was partitioned), with the
  token of the claim that held each. Read-only: the reaper decides per run and then calls
  releaseLease or requeueLease with that token, so two reapers cannot both act on one claim.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1] max runs to return

  Output: flat array {run_1, token_1, ...}; a token is "" when the owner entry is missing.
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]
local maxRuns = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local expired = redis.call('ZRANGEBYSCORE', leasesKey, '-inf', nowMs, 'LIMIT', 0, maxRuns)
local out = {}
for _, run in ipairs(expired) do
  out[#out + 1] = run
  out[#out + 1] = redis.call('HGET', ownersKey, run) or ''
end
return out
