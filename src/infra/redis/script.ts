import { createHash } from 'node:crypto';
import type { RedisConnection } from './client.js';

/** A Lua script with its SHA-1, so it can be run by digest. */
export interface RedisScript {
  readonly lua: string;
  readonly sha: string;
}

/** Wraps `lua` for {@link runScript}; call once per script, at module level. */
export function redisScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs `script` by its digest (EVALSHA), and by its text only when Redis does not hold it yet (after a restart, a
 * `SCRIPT FLUSH`, or on a cluster node that never ran it). EVAL sends the whole text and makes Redis hash it on every
 * call; the rate budget's script goes out before every Fly call and the dedupe claim with every webhook, so sending
 * a digest of 40 bytes instead is a saving on every hot path. On a cluster, ioredis routes both forms by the first key.
 */
export async function runScript(
  redis: RedisConnection,
  script: RedisScript,
  keys: readonly string[],
  args: readonly string[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.lua, keys.length, ...keys, ...args);
  }
}
