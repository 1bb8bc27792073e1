import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createIdFactory } from '#src/emulator/ids.js';

describe('emulator ids', () => {
  it('should produce Fly-shaped machine, volume and private ip values', () => {
    const ids = createIdFactory(createManualClock());
    expect(ids.machineId()).toMatch(/^[0-9a-f]{14}$/);
    expect(ids.volumeId()).toMatch(/^vol_[a-z2-7]{16}$/);
    expect(ids.privateIp()).toMatch(/^fdaa:[0-9a-f:]+$/);
    expect(ids.nonce()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('should produce strictly increasing ULIDs when the clock does not move', () => {
    const ids = createIdFactory(createManualClock());
    const list = Array.from({ length: 500 }, () => ids.ulid());
    expect(list.every((u) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(u))).toBe(true);
    expect([...list].sort()).toEqual(list);
    expect(new Set(list).size).toBe(500);
  });

  it('should encode the clock time in the ULID prefix', async () => {
    const clock = createManualClock(0);
    const ids = createIdFactory(clock);
    const early = ids.ulid();
    await clock.advance(1);
    const later = ids.ulid();
    expect(early.slice(0, 10)).toBe('0000000000');
    expect(later.slice(0, 10)).toBe('0000000001');
  });
});
