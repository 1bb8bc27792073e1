import { redisScript } from './script.js';

/**
 * The one Lua script behind every Redis-shared limiter: the generic cell rate algorithm of src/lib/gcra.ts, run
 * atomically on Redis's own clock so instances with skewed clocks still share one schedule. With one key it is the
 * plain algorithm (a caller's allowance); with three it is Fly's rate budget shared fairly between callers, the
 * decision of `decideFairAcquire` in src/flyio/rate-limit.ts.
 *
 * KEYS: the bucket's arrival time [, the caller's arrival time within its share, the set of callers by last call,
 *       the caller's "shed within the window" marker]
 * ARGV: emission interval (ms), burst, longest acceptable wait (ms) [, caller name, share window (ms)]
 * Returns {allowed 0|1, wait ms rounded up}: allowed calls reserve their slot, refused ones spend nothing.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])

local function stored(key)
  local raw = redis.call('GET', key)
  if raw then return tonumber(raw) end
  return nil
end
local function gcra(tat, at, step, size, longest)
  local start = at
  if tat and tat > at then start = tat end
  local wait = start - step * (size - 1) - at
  if wait > longest then return false, tat, wait end
  if wait < 0 then wait = 0 end
  return true, start + step, wait
end
local function keep(key, tat, tolerance)
  redis.call('SET', key, tat, 'PX', math.ceil(tat - now + tolerance) + 1000)
end

local bucketTat = stored(KEYS[1])
if #KEYS == 1 then
  local ok, nextTat, wait = gcra(bucketTat, now, interval, burst, maxWait)
  if not ok then return {0, math.ceil(wait)} end
  keep(KEYS[1], nextTat, 0)
  return {1, math.ceil(wait)}
end

local window = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('PEXPIRE', KEYS[3], window)
local active = redis.call('ZCARD', KEYS[3])
local shareBurst = math.max(1, burst / active)
if redis.call('EXISTS', KEYS[4]) == 1 then maxWait = math.max(0, maxWait - interval) end
local function shed(wait)
  redis.call('SET', KEYS[4], '1', 'PX', window)
  return {0, math.ceil(wait)}
end
local ok, callerTat, shareWait = gcra(stored(KEYS[2]), now, interval * active, shareBurst, maxWait)
local retry = shareWait
if ok then
  local fits, slotTat, slotWait = gcra(bucketTat, now + shareWait, interval, burst, maxWait - shareWait)
  if fits then
    keep(KEYS[1], slotTat, interval * (burst - 1))
    keep(KEYS[2], callerTat, 0)
    return {1, math.ceil(shareWait + slotWait)}
  end
  retry = shareWait + slotWait
end
if active > 1 then
  local spare, spareTat = gcra(bucketTat, now, interval, burst, -(active - 1) * interval)
  if spare then
    keep(KEYS[1], spareTat, interval * (burst - 1))
    return {1, 0}
  end
end
return shed(retry)
`;

/** {@link GCRA_SCRIPT}, run by digest. */
export const GCRA = redisScript(GCRA_SCRIPT);
