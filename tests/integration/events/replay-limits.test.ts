import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  postWebhook,
  startTestGateway,
  stateChanged,
  STATE_CHANGES,
  subscribeSse,
  subscribeWs,
  uniqueApp,
  type TestGateway,
  type TestSubscriber,
} from './harness.js';

// A resume replays at most EVENTS_MAX_REPLAY events; further behind, the client is told to refetch (RESYNC) rather
// than sent a backlog, over both transports.
let gw: TestGateway;
const subscribers: TestSubscriber[] = [];
const app = uniqueApp('replay');
// The in-memory bus of a fresh gateway numbers this file's events 1, 2, 3...: the seq of the last one published.
let head = 0;

async function publish(machineId: string): Promise<void> {
  expect((await postWebhook(gw.base, stateChanged(app, machineId, 'stopped', 'started'))).status).toBe(204);
  head += 1;
}

beforeAll(async () => {
  gw = await startTestGateway({ env: { EVENTS_MAX_REPLAY: '3' } });
  for (let n = 1; n <= 5; n++) await publish(`m${n}`);
});
afterEach(async () => {
  for (const subscriber of subscribers.splice(0)) await subscriber.close();
});
afterAll(() => gw?.close());

function resume(transport: 'ws' | 'sse', afterSeq: number): TestSubscriber {
  const variables = { app, afterSeq };
  const subscriber =
    transport === 'ws' ? subscribeWs(gw.wsUrl, STATE_CHANGES, variables) : subscribeSse(gw.graphqlUrl, STATE_CHANGES, variables);
  subscribers.push(subscriber);
  return subscriber;
}

describe('bounded replay', () => {
  for (const transport of ['ws', 'sse'] as const) {
    it(`should send RESYNC replay-too-long over ${transport} when the resume point is further back than EVENTS_MAX_REPLAY, then live events`, async () => {
      const subscriber = resume(transport, 0);
      expect(await subscriber.next()).toMatchObject({ kind: 'RESYNC', resyncReason: 'replay-too-long', seq: null });
      await publish(`live-${transport}`);
      const live = await subscriber.next();
      expect(live).toMatchObject({ kind: 'EVENT', machineId: `live-${transport}` });
      expect(subscriber.buffered()).toBe(0);
    });

    it(`should replay over ${transport} what a resume within EVENTS_MAX_REPLAY missed, without a resync`, async () => {
      const subscriber = resume(transport, head - 3);
      for (const seq of [head - 2, head - 1, head]) expect(await subscriber.next()).toMatchObject({ kind: 'EVENT', seq });
    });
  }
});
