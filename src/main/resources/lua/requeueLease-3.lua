--[[
  Hands a claimed run back to its ready queue (its claim never reached Postgres, or the worker is
  draining), if the caller's token still owns it.

  Input:
    KEYS[1] leases  ZSET run -> lease expiry (ms)
    KEYS[2] owners  HASH run -> fencing token
    KEYS[3] ready   ZSET run -> score
    ARGV[1] run
    ARGV[2] token
    ARGV[3] score to queue it with

  Output: 1 = re-queued; 0 = fenced (another claim owns it, or it is gone).
]]
local leasesKey, ownersKey, readyKey = KEYS[1], KEYS[2], KEYS[3]
local run, token, score = ARGV[1], ARGV[2], ARGV[3]

if redis.call('HGET', ownersKey, run) ~= token then
  return 0
end
redis.call('HDEL', ownersKey, run)
redis.call('ZREM', leasesKey, run)
redis.call('ZADD', readyKey, score, run)
return 1
