--[[
  Drops the leases of runs whose results are recorded, each only if the caller's token still owns it.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1..] pairs: run, token

  Output: array with one entry per pair: 1 = released; 0 = fenced (the lease belongs to another claim,
          or is already gone).
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]

local out = {}
for i = 1, #ARGV, 2 do
  local run, token = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', ownersKey, run) == token then
    redis.call('HDEL', ownersKey, run)
    redis.call('ZREM', leasesKey, run)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
