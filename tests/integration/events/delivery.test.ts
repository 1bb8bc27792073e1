import { describe, expect, it } from 'vitest';
import {
  manual,
  type Delivery,
  flyEvent,
  MACHINE_EVENTS,
  STATE_CHANGES,
  stateChanged,
  take,
  uniqueApp,
  untilLive,
  useSyncedGateway,
} from './harness.js';

// A long sync interval: runs happen when a test calls sync, after it has changed the emulator.
const world = useSyncedGateway();
const { open, send, sync } = world;

describe('event delivery to graphql-ws and SSE clients', () => {
  it('should deliver a webhook event to a WebSocket and an SSE subscriber with the same seq and epoch', async () => {
    const app = uniqueApp();
    const ws = open('ws', STATE_CHANGES, { app, afterSeq: 0 });
    const sse = open('sse', STATE_CHANGES, { app, afterSeq: 0 });
    expect((await send(stateChanged(app, 'm1', 'started', 'stopping'))).status).toBe(204);
    const [overWs, overSse] = [await ws.next(), await sse.next()];
    expect(overWs).toMatchObject({ kind: 'EVENT', app, machineId: 'm1', from: 'STARTED', to: 'STOPPING' });
    expect(overSse).toEqual(overWs);
  });

  for (const transport of ['ws', 'sse'] as const) {
    it(`should deliver sync-job events over ${transport} in the order they happened when emulator machines change`, async () => {
      const app = uniqueApp();
      world.gw.emu.control.createApp(app);
      const states = open(transport, STATE_CHANGES, { app, afterSeq: 0 });
      const events = open(transport, MACHINE_EVENTS, { app, afterSeq: 0 });
      const { id } = world.gw.emu.control.createMachine(app);
      await manual(world.gw).advance(1_000);
      // The machine's creation and three Fly events, and the app's own creation (app.created).
      expect(await sync()).toMatchObject({ polled: true, emitted: 5 });
      world.gw.emu.control.setMachineState(app, id, 'stopped');
      await manual(world.gw).advance(1_000);
      expect(await sync()).toMatchObject({ polled: true, emitted: 2 });
      // Two transitions in the same millisecond between polls: both Fly events, oldest first.
      world.gw.emu.control.setMachineState(app, id, 'started');
      world.gw.emu.control.setMachineState(app, id, 'stopped');
      await manual(world.gw).advance(1_000);
      await sync();

      const flyEvents = await take(events, 6);
      expect(flyEvents.map((d) => `${d.event?.type}/${d.event?.status}`)).toEqual([
        'launch/created',
        'start/starting',
        'start/started',
        'stop/stopped',
        'start/started',
        'stop/stopped',
      ]);
      expect(flyEvents.every((d) => d.machineId === id && d.kind === 'EVENT')).toBe(true);
      const changes = await take(states, 2);
      expect(changes.map((d) => [d.from, d.to])).toEqual([
        [null, 'STARTED'],
        ['STARTED', 'STOPPED'],
      ]);
      const seqs = [...flyEvents, ...changes].map((d) => d.seq!).sort((a, b) => a - b);
      expect(new Set(seqs).size).toBe(8);
      expect(changes[0].seq).toBeGreaterThan(flyEvents[2].seq!); // a poll's Fly events come before its state change
      expect(changes[1].seq).toBeGreaterThan(flyEvents[3].seq!);
    });
  }

  it('should deliver only what each subscription selects when events for several apps, machines and types arrive', async () => {
    const [app, other] = [uniqueApp(), uniqueApp()];
    const wholeApp = open('ws', STATE_CHANGES, { app, afterSeq: 0 });
    const oneMachine = open('sse', STATE_CHANGES, { app, machineId: 'm1', afterSeq: 0 });
    const otherApp = open('ws', STATE_CHANGES, { app: other, afterSeq: 0 });
    const exitsOfM1 = open('ws', MACHINE_EVENTS, { app, machineId: 'm1', types: ['exit'], afterSeq: 0 });
    const allFlyEvents = open('sse', MACHINE_EVENTS, { app, afterSeq: 0 });

    for (const body of [
      stateChanged(app, 'm1', 'stopped', 'starting'),
      stateChanged(app, 'm2', 'stopped', 'starting'),
      stateChanged(other, 'm1', 'stopped', 'starting'),
      flyEvent(app, 'm1', 'start'),
      flyEvent(app, 'm1', 'exit'),
      flyEvent(app, 'm2', 'exit'),
      flyEvent(other, 'm1', 'exit'),
      // Terminal events, one per subscription, so "nothing else arrived" is checked by what comes before them.
      stateChanged(app, 'm1', 'starting', 'started'),
      stateChanged(other, 'm1', 'starting', 'started'),
      flyEvent(app, 'm1', 'exit'),
    ]) {
      expect((await send(body)).status).toBe(204);
    }

    const pairs = (items: Delivery[]) => items.map((d) => `${d.machineId}:${d.to ?? d.event?.type}`);
    expect(pairs(await take(wholeApp, 3))).toEqual(['m1:STARTING', 'm2:STARTING', 'm1:STARTED']);
    expect(pairs(await take(oneMachine, 2))).toEqual(['m1:STARTING', 'm1:STARTED']);
    expect(pairs(await take(otherApp, 2))).toEqual(['m1:STARTING', 'm1:STARTED']);
    expect(pairs(await take(exitsOfM1, 2))).toEqual(['m1:exit', 'm1:exit']);
    expect(pairs(await take(allFlyEvents, 4))).toEqual(['m1:start', 'm1:exit', 'm2:exit', 'm1:exit']);
    for (const subscriber of [wholeApp, oneMachine, otherApp, exitsOfM1, allFlyEvents]) expect(subscriber.buffered()).toBe(0);
  });

  it("should keep one machine's transitions in order with increasing seq when many arrive back to back", async () => {
    const app = uniqueApp();
    const ws = open('ws', STATE_CHANGES, { app, machineId: 'm1', afterSeq: 0 });
    const sse = open('sse', STATE_CHANGES, { app, machineId: 'm1', afterSeq: 0 });
    const cycle = ['stopped', 'starting', 'started', 'stopping'];
    const transitions = Array.from({ length: 20 }, (_, i) => [cycle[i % 4], cycle[(i + 1) % 4]] as const);
    // Another machine's transitions go through at the same time and interleave in the stream.
    for (const [from, to] of transitions) {
      const [own, noise] = await Promise.all([send(stateChanged(app, 'm1', from, to)), send(stateChanged(app, 'm2', from, to))]);
      expect([own.status, noise.status]).toEqual([204, 204]);
    }
    for (const subscriber of [ws, sse]) {
      const items = await take(subscriber, transitions.length);
      expect(items.map((d) => [d.from, d.to])).toEqual(transitions.map(([from, to]) => [from.toUpperCase(), to.toUpperCase()]));
      const seqs = items.map((d) => d.seq!);
      expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
    }
  });

  it('should deliver live events to a subscriber that joined without afterSeq', async () => {
    const app = uniqueApp();
    const live = open('ws', STATE_CHANGES, { app });
    await untilLive(live, () => send(stateChanged(app, 'primer', 'stopped', 'started')));
    expect((await send(stateChanged(app, 'm1', 'stopped', 'started'))).status).toBe(204);
    let delivery = await live.next();
    while (delivery.machineId === 'primer') delivery = await live.next();
    expect(delivery).toMatchObject({ kind: 'EVENT', machineId: 'm1', to: 'STARTED' });
  });
});
