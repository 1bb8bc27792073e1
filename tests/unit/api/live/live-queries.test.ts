import { describe, expect, it } from 'vitest';
import { createLiveQueries } from '#src/api/live/live-queries.js';
import { createManualClock } from '#src/lib/clock.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('LiveQueries.pace', () => {
  it('should let perTurn live operations hand on a result per turn of the event loop and queue the rest in order', async () => {
    const live = createLiveQueries({ clock: createManualClock(), perTurn: 2 });
    const handed: number[] = [];
    const turns = Array.from({ length: 5 }, (_, i) => {
      const turn = live.pace();
      if (!turn) handed.push(i);
      else void turn.then(() => handed.push(i));
      return turn;
    });
    expect(turns.map((turn) => turn === undefined)).toEqual([true, true, false, false, false]);
    await Promise.resolve();
    expect(handed).toEqual([0, 1]);

    await nextTurn();
    expect(handed).toEqual([0, 1, 2, 3]);
    await nextTurn();
    expect(handed).toEqual([0, 1, 2, 3, 4]);
  });

  it('should not let a newcomer overtake operations already waiting', async () => {
    const live = createLiveQueries({ clock: createManualClock(), perTurn: 1 });
    expect(live.pace()).toBeUndefined();
    const waiting = live.pace();
    expect(waiting).toBeInstanceOf(Promise);
    await nextTurn();
    // The waiting one took this turn's place.
    expect(live.pace()).toBeInstanceOf(Promise);
  });

  it('should hand on at once again once a turn has passed without waiters', async () => {
    const live = createLiveQueries({ clock: createManualClock(), perTurn: 1 });
    expect(live.pace()).toBeUndefined();
    await nextTurn();
    expect(live.pace()).toBeUndefined();
  });
});

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
