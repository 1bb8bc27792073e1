import { describe, expect, it } from 'vitest';
import { createLiveQueries } from '../../../../src/api/live/live-queries.js';
import { createManualClock } from '../../../../src/lib/clock.js';

describe('live queries registry', () => {
  it('should wake every watching operation, and mark running ones stale, when everything is invalidated at once', async () => {
    const live = createLiveQueries({ clock: createManualClock() });
    const woken: string[] = [];
    live.watch(() => woken.push('machines')).add(['{a}:machines']);
    live.watch(() => woken.push('app')).add(['{b}:app']);
    live.watch(() => woken.push('nothing'));
    let finish!: () => void;
    const running = live.execute(undefined, async () => {
      live.record(['{c}:volumes']);
      await new Promise<void>((resolve) => (finish = resolve));
      return { data: {} };
    });
    await Promise.resolve();
    live.invalidatedAll();
    finish();
    expect(woken.sort()).toEqual(['app', 'machines']);
    expect((await running).stale).toBe(true);
  });
});
