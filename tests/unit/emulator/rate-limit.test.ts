import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { budgetFor, createRateLimiter, SWEEP_THRESHOLD } from '#src/emulator/rate-limit.js';

describe('emulator rate limiter', () => {
  it('should use Fly budgets per action when choosing a bucket', () => {
    expect(budgetFor('machines.start')).toEqual({ rate: 1, burst: 3 });
    expect(budgetFor('machines.get')).toEqual({ rate: 5, burst: 10 });
    expect(budgetFor('apps.delete').burst).toBe(100);
  });

  it('should refill at the sustained rate and key buckets by action and scope', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(clock);
    expect([0, 1, 2].map(() => limiter.take('machines.start', 'm1'))).toEqual([0, 0, 0]);
    expect(limiter.take('machines.start', 'm1')).toBe(1);
    expect(limiter.take('machines.start', 'm2')).toBe(0);
    expect(limiter.take('machines.stop', 'm1')).toBe(0);
    await clock.advance(1000);
    expect(limiter.take('machines.start', 'm1')).toBe(0);
    expect(limiter.take('machines.start', 'm1')).toBe(1);
  });

  it('should drop idle buckets instead of growing without bound when many scopes are used once', async () => {
    const clock = createManualClock();
    const limiter = createRateLimiter(clock);
    for (let i = 0; i < SWEEP_THRESHOLD; i++) limiter.take('machines.get', `m${i}`);
    limiter.take('machines.start', 'busy');
    limiter.take('machines.start', 'busy');
    limiter.take('machines.start', 'busy');
    expect(limiter.size()).toBe(SWEEP_THRESHOLD + 1);
    await clock.advance(1000);
    limiter.take('machines.get', 'fresh');
    expect(limiter.size()).toBe(2);
    // The bucket still refilling keeps its debt: after 1 s it has one token, not a fresh burst of three.
    expect([0, 1].map(() => limiter.take('machines.start', 'busy'))).toEqual([0, 1]);
  });
});
