--[[
  Extends the leases a worker still holds. A lease is extended only when the caller's token is the
  current owner's, so a worker that was paused past its lease cannot take a run back.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1] lease duration, ms
    ARGV[2..] pairs: run, token

  Output: array with one entry per pair: 1 = extended, 0 = lost (another claim owns it, or it is gone).
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]
local leaseMs = tonumber(ARGV[1])

local t = redis.call('TIME')
local nowMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local out = {}
for i = 2, #ARGV, 2 do
  local run, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', ownersKey, run) == token then
    redis.call('ZADD', leasesKey, nowMs + leaseMs, run)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
