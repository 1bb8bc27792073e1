import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLiveQueries, digestOf } from '#src/api/live/live-queries.js';
import { createLiveStream } from '#src/api/live/live-stream.js';
import { createManualClock } from '#src/lib/clock.js';

/** A live stream over a fake execution that reads `tags` and answers `{ n: state.n }`. */
function setup({ throttleMs = 250, patch = false, tags = ['{a}:machines'], at = (_n: number): unknown => 'x' } = {}) {
  const clock = createManualClock();
  const live = createLiveQueries({ clock, throttleMs });
  const state = { n: 0, runs: 0 };
  const execute = async (): Promise<ExecutionResult> => {
    state.runs += 1;
    live.record(tags);
    return { data: { n: state.n, fixed: at(state.n) } };
  };
  const controller = new AbortController();
  const stream = createLiveStream({
    live,
    execute,
    first: {
      result: { data: { n: 0, fixed: at(0) } },
      text: JSON.stringify({ data: { n: 0, fixed: at(0) } }),
      digest: digestOf(JSON.stringify({ data: { n: 0, fixed: at(0) } })),
      tags: new Set(tags),
      stale: false,
    },
    patch,
    signal: controller.signal,
  });
  // A pull that found nothing ready stays pending and is looked at again by the next take.
  let pending: Promise<IteratorResult<ExecutionResult>> | undefined;
  /** The next message if one is ready once timers and microtasks settle, 'done' at the end, else undefined. */
  const take = async () => {
    const next = (pending ??= stream.next());
    const ready = await Promise.race([next, clock.advance(0).then(() => 'none' as const)]);
    if (ready === 'none') return undefined;
    pending = undefined;
    return ready.done ? 'done' : ready.value;
  };
  return { clock, live, state, stream, take, controller };
}

describe('createLiveStream', () => {
  it('should send the first result, then re-run at most once per throttle however many changes arrive', async () => {
    const { clock, live, state, take } = setup({ throttleMs: 250 });
    expect(await take()).toMatchObject({ data: { n: 0 }, extensions: { live: { revision: 1 } } });

    // Five changes right after the first result: nothing before the throttle has passed since it ran.
    for (let i = 1; i <= 5; i++) {
      state.n = i;
      live.invalidated(['{a}:machines']);
    }
    await clock.advance(249);
    expect(await take()).toBeUndefined();
    expect(state.runs).toBe(0);
    await clock.advance(1);
    expect(await take()).toMatchObject({ data: { n: 5 }, extensions: { live: { revision: 2 } } });
    expect(state.runs).toBe(1);

    // A change long after the last run goes out at once.
    await clock.advance(1_000);
    state.n = 6;
    live.invalidated(['{a}:machines']);
    expect(await take()).toMatchObject({ data: { n: 6 } });
    expect(state.runs).toBe(2);
  });

  it('should ignore tags it did not read and send nothing when a re-run gives the same result', async () => {
    const { clock, live, state, take } = setup();
    await take();
    live.invalidated(['{b}:machines']);
    await clock.advance(1_000);
    expect(state.runs).toBe(0);
    live.invalidated(['{a}:machines']);
    await clock.advance(1_000);
    expect(state.runs).toBe(1);
    expect(await take()).toBeUndefined();
  });

  it('should send JSON patches against the previous result when patch mode is on', async () => {
    const { clock, live, state, take } = setup({ patch: true });
    await take();
    await clock.advance(1_000);
    state.n = 7;
    live.invalidated(['{a}:machines']);
    const patched = (await take()) as ExecutionResult;
    expect(patched.data).toBeUndefined();
    expect(patched.extensions).toEqual({ live: { revision: 2, patch: [{ op: 'replace', path: '/n', value: 7 }] } });
  });

  it('should patch what the client sees on the wire when results hold values only JSON turns into text (Dates)', async () => {
    const { clock, live, state, take } = setup({ patch: true, at: (n) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)) });
    await take();
    await clock.advance(1_000);
    state.n = 1;
    live.invalidated(['{a}:machines']);
    expect(((await take()) as ExecutionResult).extensions).toEqual({
      live: {
        revision: 2,
        patch: [
          { op: 'replace', path: '/n', value: 1 },
          { op: 'replace', path: '/fixed', value: '2026-01-01T00:00:01.000Z' },
        ],
      },
    });
  });

  it('should stop re-running and forget its tags once the client goes away', async () => {
    const { clock, live, state, take, controller } = setup();
    await take();
    expect(live.count()).toBe(1);
    controller.abort();
    expect(await take()).toBe('done');
    expect(live.count()).toBe(0);
    live.invalidated(['{a}:machines']);
    await clock.advance(1_000);
    expect(state.runs).toBe(0);
  });
});

describe('LiveQueries.execute', () => {
  it('should share one execution between live operations of one key woken by the same change, and not across changes', async () => {
    const live = createLiveQueries({ clock: createManualClock() });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const execute = async (): Promise<ExecutionResult> => {
      runs += 1;
      live.record(['{a}:machines']);
      await gate;
      return { data: { runs } };
    };
    const first = live.execute('k', execute);
    const joined = live.execute('k', execute);
    const otherKey = live.execute('other', execute);
    expect(runs).toBe(2);
    // A change after the shared execution started: a later caller must not be given what it read.
    live.invalidated(['{b}:app']);
    const afterChange = live.execute('k', execute);
    expect(runs).toBe(3);
    release();
    await Promise.all([otherKey, afterChange]);
    const [a, b] = await Promise.all([first, joined]);
    expect(b).toBe(a);
    expect([...a.tags]).toEqual(['{a}:machines']);
    expect(a.stale).toBe(false);
  });

  it('should say an execution is stale when a tag it read was invalidated before it finished', async () => {
    const live = createLiveQueries({ clock: createManualClock() });
    let release!: () => void;
    const running = live.execute(undefined, async () => {
      live.record(['{a}:machines']);
      await new Promise<void>((resolve) => (release = resolve));
      return { data: {} };
    });
    await Promise.resolve();
    live.invalidated(['{a}:machines']);
    release();
    expect((await running).stale).toBe(true);
  });
});

describe('createLiveStream with errors in patch mode', () => {
  it('should send a result with errors whole, and the result after it whole too', async () => {
    const clock = createManualClock();
    const live = createLiveQueries({ clock, throttleMs: 10 });
    const answers: ExecutionResult[] = [
      { data: { n: 1 }, errors: [{ message: 'Fly is away' } as never] },
      { data: { n: 2 } },
      { data: { n: 3 } },
    ];
    const stream = createLiveStream({
      live,
      execute: async () => {
        live.record(['{a}:machines']);
        return answers.shift()!;
      },
      first: {
        result: { data: { n: 0 } },
        text: '{"data":{"n":0}}',
        digest: digestOf('{"data":{"n":0}}'),
        tags: new Set(['{a}:machines']),
        stale: false,
      },
      patch: true,
    });
    const sent: ExecutionResult[] = [(await stream.next()).value];
    for (let i = 0; i < 3; i++) {
      await clock.advance(100);
      live.invalidated(['{a}:machines']);
      await clock.advance(0);
      sent.push((await stream.next()).value);
    }
    await stream.return!();
    expect(sent.map((m) => ('data' in m ? 'whole' : 'patch'))).toEqual(['whole', 'whole', 'whole', 'patch']);
    expect(sent[3]!.extensions).toEqual({ live: { revision: 4, patch: [{ op: 'replace', path: '/n', value: 3 }] } });
  });
});
