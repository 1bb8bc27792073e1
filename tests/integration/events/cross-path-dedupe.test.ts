import { describe, expect, it } from 'vitest';
import { manual, MACHINE_EVENTS, STATE_CHANGES, stateChanged, take, type TestSubscriber, uniqueApp, useSyncedGateway } from './harness.js';

// One gateway with the sync job on (runs only when a test calls sync) and webhooks on, against the emulator.
const world = useSyncedGateway();
const { send, sync } = world;
const open = (query: string, variables: Record<string, unknown>) => world.open('ws', query, variables);

/** A relay's report of the state change the machine just made, with the machine's `updated_at` after it. */
function relayed(app: string, machineId: string, from: string): Record<string, unknown> {
  const machine = world.gw.emu.control.getMachine(app, machineId);
  const updatedAt = String(machine.updated_at);
  const body = stateChanged(app, machineId, from, machine.state);
  return { ...body, timestamp: updatedAt, data: { ...(body.data as object), updated_at: updatedAt } };
}

/**
 * Proves nothing else was delivered for `app` before it: a webhook for another machine of the app must be the next
 * delivery.
 */
async function expectNothingMoreThan(subscriber: TestSubscriber, app: string): Promise<void> {
  expect((await send(stateChanged(app, 'sentinel', 'stopped', 'started'))).status).toBe(204);
  expect(await subscriber.next()).toMatchObject({ machineId: 'sentinel' });
}

/** An app with one started machine, already reported by the sync job. */
async function startedMachine(): Promise<{ app: string; id: string }> {
  const app = uniqueApp('dedupe');
  world.gw.emu.control.createApp(app);
  const { id } = world.gw.emu.control.createMachine(app);
  await manual(world.gw).advance(1_000);
  await sync();
  return { app, id };
}

describe('one change seen by a relay and by the sync job', () => {
  it('should deliver a state change once when the relay reports it and the sync job sees it afterwards', async () => {
    const { app, id } = await startedMachine();
    const states = open(STATE_CHANGES, { app, afterSeq: 0 });
    expect(await states.next()).toMatchObject({ machineId: id, from: null, to: 'STARTED' }); // the creation

    world.gw.emu.control.setMachineState(app, id, 'stopped');
    expect((await send(relayed(app, id, 'started'))).status).toBe(204);
    await manual(world.gw).advance(1_000);
    // The poll finds only the Fly event of the stop: its state change was already published.
    expect(await sync()).toMatchObject({ polled: true, emitted: 1 });

    expect(await states.next()).toMatchObject({ machineId: id, from: 'STARTED', to: 'STOPPED' });
    await expectNothingMoreThan(states, app);
  });

  it('should deliver a state change once when the sync job publishes it first and the relay reports it later', async () => {
    const { app, id } = await startedMachine();
    const states = open(STATE_CHANGES, { app, afterSeq: 0 });
    expect(await states.next()).toMatchObject({ machineId: id, to: 'STARTED' });

    world.gw.emu.control.setMachineState(app, id, 'stopped');
    const body = relayed(app, id, 'started');
    await manual(world.gw).advance(1_000);
    expect(await sync()).toMatchObject({ polled: true, emitted: 2 });
    // The relay's copy (any webhook-id, redelivered too) is a duplicate: 204, not published.
    expect((await send(body, 'msg_late_1')).status).toBe(204);
    expect((await send(body, 'msg_late_1')).status).toBe(204);

    expect(await states.next()).toMatchObject({ machineId: id, from: 'STARTED', to: 'STOPPED' });
    await expectNothingMoreThan(states, app);
  });

  it('should deliver stopped then started again as two events when both happen between polls and both are relayed', async () => {
    const { app, id } = await startedMachine();
    const states = open(STATE_CHANGES, { app, afterSeq: 0 });
    await states.next();

    world.gw.emu.control.setMachineState(app, id, 'stopped');
    expect((await send(relayed(app, id, 'started'))).status).toBe(204);
    await manual(world.gw).advance(10);
    world.gw.emu.control.setMachineState(app, id, 'started');
    expect((await send(relayed(app, id, 'stopped'))).status).toBe(204);
    await manual(world.gw).advance(1_000);
    await sync();

    expect((await take(states, 2)).map((d) => [d.from, d.to])).toEqual([
      ['STARTED', 'STOPPED'],
      ['STOPPED', 'STARTED'],
    ]);
    await expectNothingMoreThan(states, app);
  });
});

describe('a machine created and destroyed between two polls', () => {
  it('should deliver its creation, its Fly events and its destruction from the next poll', async () => {
    const app = uniqueApp('brief');
    world.gw.emu.control.createApp(app);
    const states = open(STATE_CHANGES, { app, afterSeq: 0 });
    const events = open(MACHINE_EVENTS, { app, afterSeq: 0 });
    const { id } = world.gw.emu.control.createMachine(app);
    await manual(world.gw).advance(1_000);
    world.gw.emu.control.setMachineState(app, id, 'destroyed');
    await manual(world.gw).advance(1_000);

    // Six for the machine, and the app's own creation (app.created).
    expect(await sync()).toMatchObject({ polled: true, emitted: 7 });
    expect((await take(states, 2)).map((d) => [d.machineId, d.from, d.to])).toEqual([
      [id, null, 'CREATED'],
      [id, 'STARTED', 'DESTROYED'],
    ]);
    expect((await take(events, 4)).map((d) => `${d.event?.type}/${d.event?.status}`)).toEqual([
      'launch/created',
      'start/starting',
      'start/started',
      'destroy/destroyed',
    ]);
    // The next poll still sees it in its overlap window: nothing is reported twice.
    await manual(world.gw).advance(1_000);
    expect(await sync()).toMatchObject({ polled: true, emitted: 0 });
    await expectNothingMoreThan(states, app);
  });
});
