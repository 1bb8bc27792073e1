import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  FOREIGN_SECRET,
  manual,
  NEW_SECRET,
  OLD_SECRET,
  postWebhook,
  startTestGateway,
  stateChanged,
  STATE_CHANGES,
  subscribeWs,
  uniqueApp,
  type TestGateway,
  type TestSubscriber,
} from './harness.js';

let gw: TestGateway;
const subscribers: TestSubscriber[] = [];
beforeAll(async () => {
  // The gateway's manual clock is what the endpoint checks timestamps against, so "a day later" is one call.
  gw = await startTestGateway({ manualClock: true });
});
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});
afterAll(async () => {
  await gw?.close();
});

/** A subscriber to one fresh app, resuming from the start of the stream so nothing can slip past it. */
function watch(app: string): TestSubscriber {
  const subscriber = subscribeWs(gw.wsUrl, STATE_CHANGES, { app, afterSeq: 0 });
  subscribers.push(subscriber);
  return subscriber;
}

const now = () => Math.floor(gw.clock.now() / 1000);
const send = (body: string | object, options: Parameters<typeof postWebhook>[2] = {}) =>
  postWebhook(gw.base, body, { clock: gw.clock, ...options });

describe('POST /webhooks/fly through the running gateway', () => {
  it('should answer 204 and reach a WebSocket subscriber when the webhook is validly signed', async () => {
    const app = uniqueApp();
    const subscriber = watch(app);
    expect(await send(stateChanged(app, 'm1', 'stopped', 'started'))).toEqual({ status: 204 });
    expect(await subscriber.next()).toMatchObject({
      kind: 'EVENT',
      app,
      machineId: 'm1',
      from: 'STOPPED',
      to: 'STARTED',
      seq: expect.any(Number),
    });
  });

  it('should accept either configured secret and a header whose second signature is the valid one when secrets rotate', async () => {
    const app = uniqueApp();
    const subscriber = watch(app);
    expect((await send(stateChanged(app, 'old', 'stopped', 'started'), { secrets: [OLD_SECRET] })).status).toBe(204);
    expect((await send(stateChanged(app, 'new', 'stopped', 'started'), { secrets: [NEW_SECRET] })).status).toBe(204);
    expect((await send(stateChanged(app, 'both', 'stopped', 'started'), { secrets: [FOREIGN_SECRET, NEW_SECRET] })).status).toBe(204);
    const machines = [(await subscriber.next()).machineId, (await subscriber.next()).machineId, (await subscriber.next()).machineId];
    expect(machines).toEqual(['old', 'new', 'both']);
  });

  it('should answer 401 and publish nothing when the signature, timestamp or headers are wrong', async () => {
    const app = uniqueApp();
    const subscriber = watch(app);
    expect((await send(stateChanged(app, 'first', 'stopped', 'started'))).status).toBe(204);
    const first = await subscriber.next();

    const body = stateChanged(app, 'rejected', 'stopped', 'started');
    const rejected = [
      await send(body, { secrets: [FOREIGN_SECRET] }),
      await send(body, { headers: { 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` } }),
      await send(body, { timestamp: now() - 301 }),
      await send(body, { timestamp: now() + 301 }),
      await send(body, { headers: { 'webhook-id': undefined } }),
      await send(body, { headers: { 'webhook-timestamp': undefined } }),
      await send(body, { headers: { 'webhook-signature': undefined } }),
    ];
    expect(rejected.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(rejected.every((answer) => answer.error?.code === 'INVALID_SIGNATURE')).toBe(true);
    expect(rejected.map((answer) => answer.error?.message)).toEqual([
      'no signature matches',
      'no signature matches',
      'webhook-timestamp is more than 300 s in the past',
      'webhook-timestamp is more than 300 s in the future',
      'missing webhook-id header',
      'missing webhook-timestamp header',
      'missing webhook-signature header',
    ]);

    // Inside the window on both sides is fine; the sentinel after them proves the rejects left no trace.
    expect((await send(stateChanged(app, 'late', 'stopped', 'started'), { timestamp: now() - 299 })).status).toBe(204);
    expect((await send(stateChanged(app, 'sentinel', 'stopped', 'started'), { timestamp: now() + 299 })).status).toBe(204);
    expect(await subscriber.next()).toMatchObject({ machineId: 'late', seq: first.seq! + 1 });
    expect(await subscriber.next()).toMatchObject({ machineId: 'sentinel', seq: first.seq! + 2 });
  });

  it('should answer 400 saying what was wrong, or 413, and publish nothing when the body is bad or too large', async () => {
    const app = uniqueApp();
    const subscriber = watch(app);
    expect((await send(stateChanged(app, 'first', 'stopped', 'started'))).status).toBe(204);
    const first = await subscriber.next();

    const malformed = await send('{"type":"machine.state_changed",');
    expect(malformed.status).toBe(400);
    expect(malformed.error).toMatchObject({ code: 'INVALID_BODY', message: expect.stringMatching(/^body is not valid JSON: /) });

    const invalid = await send({ type: 'machine.state_changed', timestamp: 'yesterday', data: { app, machine_id: 'x', from: '' } });
    expect(invalid.status).toBe(400);
    expect(invalid.error?.code).toBe('INVALID_BODY');
    expect(invalid.error?.details).toEqual([
      'timestamp: expected an RFC 3339 date-time, e.g. 2026-01-01T12:00:00Z',
      'data.from: expected the previous state (a non-empty string)',
      'data.to: expected the new state (a non-empty string)',
    ]);
    const unknownType = await send({ type: 'machine.exploded', timestamp: '2026-01-01T00:00:00Z', data: { app, machine_id: 'x' } });
    expect(unknownType).toMatchObject({ status: 400, error: { message: expect.stringContaining('expected one of machine.created') } });

    const padding = 'x'.repeat(256 * 1024);
    const oversize = await send({ ...stateChanged(app, 'big', 'stopped', 'started'), padding });
    expect(oversize).toMatchObject({ status: 413, error: { code: 'PAYLOAD_TOO_LARGE' } });

    expect((await send(stateChanged(app, 'sentinel', 'stopped', 'started'))).status).toBe(204);
    expect(await subscriber.next()).toMatchObject({ machineId: 'sentinel', seq: first.seq! + 1 });
  });

  it('should publish a webhook id once when it is redelivered seconds and a day later, and again after 72 hours', async () => {
    const app = uniqueApp();
    const id = `msg_${randomUUID()}`;
    const body = stateChanged(app, 'dup', 'stopped', 'started');
    expect((await send(body, { id })).status).toBe(204);
    await manual(gw).advance(5_000);
    expect((await send(body, { id })).status).toBe(204);
    await manual(gw).advance(24 * 60 * 60 * 1000);
    expect((await send(body, { id })).status).toBe(204);
    expect((await send(stateChanged(app, 'sentinel', 'stopped', 'started'))).status).toBe(204);

    // Subscribers open after each jump of the manual clock and replay from the start: a socket open across a jump
    // of a day misses its keep-alive pings and is dropped, as a real one would be.
    const subscriber = watch(app);
    const dup = await subscriber.next();
    expect(dup.machineId).toBe('dup');
    expect(await subscriber.next()).toMatchObject({ machineId: 'sentinel', seq: dup.seq! + 1 });
    await subscriber.close();

    // Past the documented 72 hours the id is a new message again.
    await manual(gw).advance(48 * 60 * 60 * 1000);
    expect((await send(body, { id })).status).toBe(204);
    const replay = watch(app);
    expect([await replay.next(), await replay.next(), await replay.next()]).toMatchObject([
      { machineId: 'dup', seq: dup.seq },
      { machineId: 'sentinel', seq: dup.seq! + 1 },
      { machineId: 'dup', seq: dup.seq! + 2 },
    ]);
  });

  it('should accept a rejected webhook id once it is corrected, since a rejection remembers nothing', async () => {
    const app = uniqueApp();
    const subscriber = watch(app);
    const id = `msg_${randomUUID()}`;
    expect((await send(stateChanged(app, 'fixed', 'stopped', 'started'), { id, secrets: [FOREIGN_SECRET] })).status).toBe(401);
    expect((await send({ type: 'machine.state_changed', timestamp: '2026-01-01T00:00:00Z', data: { app } }, { id })).status).toBe(400);
    expect((await send(stateChanged(app, 'fixed', 'stopped', 'started'), { id })).status).toBe(204);
    expect(await subscriber.next()).toMatchObject({ machineId: 'fixed', kind: 'EVENT' });
  });
});
