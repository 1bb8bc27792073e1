import type { CallerLimiter, CallerLimitRule } from '../../services/ports.js';
import type { RedisConnection } from './client.js';
import { GCRA } from './gcra-script.js';
import { runScript } from './script.js';

/** Options for {@link createRedisCallerLimiter}. */
export interface RedisCallerLimiterOptions extends CallerLimitRule {
  /** A fail-fast connection (role `cache`). Not closed by the limiter. */
  redis: RedisConnection;
  /** Decides alone while Redis cannot be reached, so Redis trouble never blocks or opens the gate entirely. */
  fallback: CallerLimiter;
}

/**
 * A {@link CallerLimiter} shared by every instance through Redis: the one GCRA script with a single key per caller
 * (expiring once idle) and no queueing, so a caller over its allowance is refused without spending anything.
 */
export function createRedisCallerLimiter(options: RedisCallerLimiterOptions): CallerLimiter {
  const interval = String(1000 / options.ratePerSecond);
  const burst = String(options.burst);
  return {
    async take(caller) {
      let reply: [number, number];
      try {
        reply = (await runScript(options.redis, GCRA, [`flygate:caller:{${caller}}`], [interval, burst, '0'])) as [number, number];
      } catch {
        return options.fallback.take(caller);
      }
      return reply[0] === 1 ? { ok: true } : { ok: false, retryAfterMs: Number(reply[1]) };
    },
  };
}
