import type { CallerLimiter, CallerLimitRule } from '../../services/ports.js';
import type { RedisConnection } from './client.js';

/** Options for {@link createRedisCallerLimiter}. */
export interface RedisCallerLimiterOptions extends CallerLimitRule {
  /** A fail-fast connection (role `cache`). Not closed by the limiter. */
  redis: RedisConnection;
  /** Decides alone while Redis cannot be reached, so Redis trouble never blocks or opens the gate entirely. */
  fallback: CallerLimiter;
}

// The same cell rate algorithm as the in-process limiter, atomically on Redis's own clock (instances with skewed
// clocks share one schedule). Refuses without spending anything when the caller is over its allowance.
//   ARGV: emission interval (ms), burst tolerance (ms)    returns {allowed 0|1, wait ms}
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait > 0 then return {0, math.ceil(wait)} end
local nextTat = tat + interval
redis.call('SET', KEYS[1], nextTat, 'PX', math.ceil(nextTat - now) + 1000)
return {1, 0}
`;

/** A {@link CallerLimiter} shared by every instance through Redis; one key per caller, expiring once idle. */
export function createRedisCallerLimiter(options: RedisCallerLimiterOptions): CallerLimiter {
  const interval = 1000 / options.ratePerSecond;
  const tolerance = interval * (options.burst - 1);
  return {
    async take(caller) {
      let reply: [number, number];
      try {
        reply = (await options.redis.eval(TAKE_SCRIPT, 1, `flygate:caller:{${caller}}`, String(interval), String(tolerance))) as [
          number,
          number,
        ];
      } catch {
        return options.fallback.take(caller);
      }
      return reply[0] === 1 ? { ok: true } : { ok: false, retryAfterMs: Number(reply[1]) };
    },
  };
}
