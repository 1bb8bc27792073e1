import { describe, expect, it } from 'vitest';
import { createMemoryCallerLimiter } from '#src/infra/memory/caller-limiter.js';
import { createManualClock } from '#src/lib/clock.js';

describe('in-process caller limiter', () => {
  it('should allow the burst, refuse the next with a wait, and allow again once that wait has passed', async () => {
    const clock = createManualClock();
    const limiter = createMemoryCallerLimiter({ ratePerSecond: 2, burst: 3, now: () => clock.now() });
    for (let i = 0; i < 3; i++) expect(await limiter.take('a')).toEqual({ ok: true });
    const refused = await limiter.take('a');
    expect(refused.ok).toBe(false);
    const wait = refused.ok ? 0 : refused.retryAfterMs;
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(500);
    await clock.advance(wait);
    expect(await limiter.take('a')).toEqual({ ok: true });
  });

  it('should keep callers apart when one has spent its allowance', async () => {
    const clock = createManualClock();
    const limiter = createMemoryCallerLimiter({ ratePerSecond: 1, burst: 1, now: () => clock.now() });
    expect((await limiter.take('a')).ok).toBe(true);
    expect((await limiter.take('a')).ok).toBe(false);
    expect((await limiter.take('b')).ok).toBe(true);
  });
});
