import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey } from '#src/api/auth/keys.js';
import { postWebhook, startTestGateway, stateChanged, STATE_CHANGES, subscribeWs, untilLive, type TestGateway } from '../events/harness.js';

const reader = createKey('dashboard', new Set(['read']));
const readerNext = createKey('dashboard', new Set(['read']));
const writer = createKey('deployer', new Set(['write']));
const admin = createKey('ops', new Set(['admin']));

const APPS = '{ apps { nodes { name } } }';
const START = `mutation($app: String!, $id: String!) {
  startMachine(input: { app: $app, machineId: $id }) { __typename ... on Error { code message } ... on StartMachineSuccess { machine { machineId } } }
}`;

describe('access with API keys', () => {
  let built: TestGateway;
  let machineId: string;
  let wsUrl: string;

  const post = async (body: object, authorization?: string) => {
    const response = await fetch(built.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, json: (await response.json()) as any };
  };

  beforeAll(async () => {
    built = await startTestGateway({
      env: {
        AUTH_MODE: 'api-keys',
        API_KEYS: [reader.entry, readerNext.entry, writer.entry, admin.entry].join(','),
        CALLER_RATE_LIMIT: '0',
      },
    });
    built.emu.control.createApp('app-one');
    machineId = built.emu.control.createMachine('app-one', { state: 'stopped' }).id;
    wsUrl = built.wsUrl;
  });
  afterAll(async () => built?.close());

  it('should answer 401 UNAUTHENTICATED with a challenge when the key is missing, malformed or unknown', async () => {
    for (const authorization of [undefined, reader.key, 'Bearer fgk_not_a_key', 'Basic Zm9vOmJhcg==']) {
      const answer = await post({ query: APPS }, authorization);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(answer.json.data).toBeUndefined();
    }
    expect(built.emu.requestCounts()['apps.list'] ?? 0).toBe(0);
  });

  it('should let a read key query, and both keys of a rotated name, when they are configured', async () => {
    for (const key of [reader.key, readerNext.key]) {
      const answer = await post({ query: APPS }, `Bearer ${key}`);
      expect(answer.status).toBe(200);
      expect(answer.json.data.apps.nodes).toEqual([{ name: 'app-one' }]);
    }
  });

  it('should answer a typed FORBIDDEN result and leave the machine alone when a read key mutates', async () => {
    const answer = await post({ query: START, variables: { app: 'app-one', id: machineId } }, `Bearer ${reader.key}`);
    expect(answer.status).toBe(200);
    expect(answer.json.data.startMachine).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(built.emu.requestCounts()['machines.start'] ?? 0).toBe(0);
    expect(built.emu.control.getMachine('app-one', machineId).state).toBe('stopped');
  });

  it('should answer 403 FORBIDDEN to a query when the key has only the write scope', async () => {
    const answer = await post({ query: APPS }, `Bearer ${writer.key}`);
    expect(answer.status).toBe(403);
    expect(answer.json.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('should run the mutation when the key has the write scope, and everything when it has admin', async () => {
    const started = await post({ query: START, variables: { app: 'app-one', id: machineId } }, `Bearer ${writer.key}`);
    expect(started.json.data.startMachine.__typename).toBe('StartMachineSuccess');
    expect(built.emu.requestCounts()['machines.start']).toBe(1);
    const read = await post({ query: APPS }, `Bearer ${admin.key}`);
    expect(read.json.data.apps.nodes).toHaveLength(1);
  });

  it('should close a WebSocket with 4401 when connectionParams carry no key or an unknown one', async () => {
    for (const connectionParams of [undefined, { authorization: 'Bearer fgk_unknown' }]) {
      const subscriber = subscribeWs(wsUrl, STATE_CHANGES, { app: 'app-one' }, { connectionParams });
      expect(await subscriber.closed).toBe(4401);
      await subscriber.close();
    }
  });

  it('should close a WebSocket subscription with 4403 when the key lacks the read scope', async () => {
    const subscriber = subscribeWs(
      wsUrl,
      STATE_CHANGES,
      { app: 'app-one' },
      { connectionParams: { authorization: `Bearer ${writer.key}` } },
    );
    expect(await subscriber.closed).toBe(4403);
    await subscriber.close();
  });

  it('should answer a typed FORBIDDEN result over a WebSocket when a read key mutates', async () => {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${reader.key}` },
    });
    try {
      const result = await new Promise<any>((resolve, reject) =>
        client.subscribe(
          { query: START, variables: { app: 'app-one', id: machineId } },
          { next: resolve, error: reject, complete: () => undefined },
        ),
      );
      expect(result.data.startMachine).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    } finally {
      await client.dispose();
    }
  });

  it('should deliver events over a WebSocket when the key has the read scope', async () => {
    const subscriber = subscribeWs(
      wsUrl,
      STATE_CHANGES,
      { app: 'app-one' },
      { connectionParams: { authorization: `Bearer ${reader.key}` } },
    );
    try {
      const delivery = await untilLive(subscriber, () => postWebhook(built.base, stateChanged('app-one', machineId, 'stopped', 'started')));
      expect(delivery).toMatchObject({ kind: 'EVENT', app: 'app-one', machineId });
    } finally {
      await subscriber.close();
    }
  });
});
