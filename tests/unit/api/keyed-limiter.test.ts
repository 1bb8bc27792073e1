import { describe, expect, it } from 'vitest';
import { createKeyedLimiter } from '#src/api/keyed-limiter.js';

describe('createKeyedLimiter', () => {
  it('should refuse one over max per key and count keys apart when slots are taken and given back', () => {
    const limiter = createKeyedLimiter(2);
    expect([limiter.acquire('a'), limiter.acquire('a'), limiter.acquire('a')]).toEqual([true, true, false]);
    expect(limiter.acquire('b')).toBe(true);

    limiter.release('a');

    expect(limiter.count('a')).toBe(1);
    expect(limiter.acquire('a')).toBe(true);
    limiter.release('b');
    expect(limiter.count('b')).toBe(0);
  });
});
