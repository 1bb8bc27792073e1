import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook, STATE_CHANGES, startTestGateway, stateChanged, subscribeWs, take, uniqueApp, type TestGateway } from './harness.js';

// Webhooks posted several at once: while one fan-out runs, the next events queue in the bus, which then hands them
// on in one pass and each socket writes what it got in that pass at once (src/api/ws-direct.ts, TurnBatcher).
const SUBSCRIBERS = 4;
const EVENTS = 60;
const AT_ONCE = 12;

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

describe('events that queue on their way to WebSocket subscribers', () => {
  it('should deliver every one of many webhooks posted at once to each subscriber, complete and in seq order', async () => {
    const app = uniqueApp('queued');
    // A fresh gateway's bus holds only this test's events, so a resume from 0 misses none of them.
    const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribeWs(gw.wsUrl, STATE_CHANGES, { app, afterSeq: 0 }));
    expect((await postWebhook(gw.base, stateChanged(app, 'first', 'stopped', 'started'))).status).toBe(204);
    const firsts = await Promise.all(subscribers.map((subscriber) => subscriber.next()));
    expect(firsts.map((delivery) => delivery.machineId)).toEqual(Array(SUBSCRIBERS).fill('first'));
    const base = firsts[0]!.seq!;

    const posted: string[] = [];
    for (let from = 0; from < EVENTS; from += AT_ONCE) {
      const batch = Array.from({ length: AT_ONCE }, (_, i) => `m${from + i}`);
      posted.push(...batch);
      const answers = await Promise.all(batch.map((machineId) => postWebhook(gw.base, stateChanged(app, machineId, 'stopped', 'started'))));
      expect(answers.map((answer) => answer.status)).toEqual(Array(AT_ONCE).fill(204));
    }

    const received = await Promise.all(subscribers.map((subscriber) => take(subscriber, EVENTS)));
    for (const deliveries of received) {
      expect(deliveries.map((delivery) => delivery.kind)).toEqual(Array(EVENTS).fill('EVENT'));
      expect(deliveries.map((delivery) => delivery.seq)).toEqual(Array.from({ length: EVENTS }, (_, i) => base + 1 + i));
      expect(deliveries.map((delivery) => delivery.machineId).sort()).toEqual([...posted].sort());
    }
    // Everyone saw the same order, whatever order the concurrent posts were published in.
    for (const deliveries of received.slice(1)) expect(deliveries).toEqual(received[0]);
    for (const subscriber of subscribers) expect(subscriber.buffered()).toBe(0);
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
  });
});
