import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, paginate } from '#src/emulator/cursor.js';
import { createFaultInjector } from '#src/emulator/faults.js';

describe('emulator fault decisions', () => {
  it('should combine matching rules and drop a rule after its times', () => {
    const faults = createFaultInjector(() => 0);
    faults.add({ route: 'machines.start', latencyMs: 100, times: 1 });
    faults.add({ route: '*', status: 502 });
    expect(faults.decide('machines.start')).toEqual({ latencyMs: 100, hang: false, reset: false, errorStatus: 502 });
    expect(faults.decide('machines.start')).toEqual({ latencyMs: 0, hang: false, reset: false, errorStatus: 502 });
    faults.clear();
    expect(faults.decide('machines.start').errorStatus).toBeUndefined();
  });

  it('should reject an error rate outside 0..1', () => {
    expect(() => createFaultInjector().add({ errorRate: 2 })).toThrow(RangeError);
  });
});

describe('emulator cursors', () => {
  it('should round-trip a position and reject garbage', () => {
    expect(decodeCursor(encodeCursor({ at: 5, id: 'abc' }))).toEqual({ at: 5, id: 'abc' });
    expect(() => decodeCursor('%%%')).toThrow();
  });

  it('should page strictly after the cursor position', () => {
    const items = [1, 2, 3, 4, 5].map((n) => ({ at: n, id: `i${n}` }));
    const first = paginate(items, (x) => x, null, 2);
    expect(first.page.map((x) => x.at)).toEqual([1, 2]);
    const second = paginate(items, (x) => x, first.next ?? null, 10);
    expect(second.page.map((x) => x.at)).toEqual([3, 4, 5]);
    expect(second.next).toBeUndefined();
  });
});
