import { describe, expect, it } from 'vitest';
import { createReplayGate } from '#src/infra/replay-gate.js';

/** A replay that runs until `finish()` is called, recording when it started. */
function pendingReplay(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createReplayGate', () => {
  it('should run at most maxConcurrent replays at once and start the waiting ones in arrival order', async () => {
    const gate = createReplayGate(2);
    const log: string[] = [];
    const replays = ['a', 'b', 'c', 'd'].map((name) => pendingReplay(log, name));
    const runs = replays.map((replay) => gate.run(replay.run));
    await settle();
    expect(log).toEqual(['start a', 'start b']);

    replays[1]!.finish();
    await settle();
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c']);

    replays[0]!.finish();
    replays[2]!.finish();
    replays[3]!.finish();
    await Promise.all(runs);
    expect(log.filter((entry) => entry.startsWith('start'))).toEqual(['start a', 'start b', 'start c', 'start d']);
  });

  it('should free the slot when a replay fails', async () => {
    const gate = createReplayGate(1);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let ran = false;
    await gate.run(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it('should refuse a bound that is not a positive integer', () => {
    expect(() => createReplayGate(0)).toThrow(RangeError);
  });
});
