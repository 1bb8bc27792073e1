import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/infra/clock.js';
import { budgetFor, createRateLimiter } from '../../../src/emulator/rate-limit.js';

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
});
