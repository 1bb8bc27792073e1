import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createMemoryDedupeStore } from '#src/infra/memory/dedupe-store.js';

const HOUR = 60 * 60 * 1000;

describe('createMemoryDedupeStore', () => {
  it('should report duplicate when a committed id is claimed again within 72 h', async () => {
    const clock = createManualClock();
    const store = createMemoryDedupeStore({ now: clock.now });
    expect(await store.claim('a')).toBe('claimed');
    await store.commit('a');
    await clock.advance(71 * HOUR);
    expect(await store.claim('a')).toBe('duplicate');
  });

  it('should forget a committed id when 72 h have passed', async () => {
    const clock = createManualClock();
    const store = createMemoryDedupeStore({ now: clock.now });
    await store.claim('a');
    await store.commit('a');
    await clock.advance(72 * HOUR + 1);
    expect(await store.claim('a')).toBe('claimed');
  });

  it('should report in-flight while a claim is uncommitted and free it after the claim TTL', async () => {
    const clock = createManualClock();
    const store = createMemoryDedupeStore({ now: clock.now, claimTtlMs: 30_000 });
    await store.claim('a');
    expect(await store.claim('a')).toBe('in-flight');
    await clock.advance(30_001);
    expect(await store.claim('a')).toBe('claimed');
  });

  it('should accept the id again when a claim is released', async () => {
    const store = createMemoryDedupeStore();
    await store.claim('a');
    await store.release('a');
    expect(await store.claim('a')).toBe('claimed');
  });

  it('should not forget a committed id when release is called', async () => {
    const store = createMemoryDedupeStore();
    await store.claim('a');
    await store.commit('a');
    await store.release('a');
    expect(await store.claim('a')).toBe('duplicate');
  });
});
