--[[
  Drops a run's lease once its result is recorded, if the caller still owns it.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    ARGV[1] run
    ARGV[2] token

  Output: 1 = released; 0 = fenced (the lease belongs to another claim, or is already gone).
]]
local leasesKey, ownersKey = KEYS[1], KEYS[2]
local run, token = ARGV[1], ARGV[2]

if redis.call('HGET', ownersKey, run) ~= token then
  return 0
end
redis.call('HDEL', ownersKey, run)
redis.call('ZREM', leasesKey, run)
return 1
