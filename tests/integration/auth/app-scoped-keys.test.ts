import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey } from '#src/api/auth/keys.js';
import { postWebhook, startTestGateway, stateChanged, STATE_CHANGES, type TestGateway } from '../events/harness.js';

// team-a's key reaches its apps by prefix, the web reader one app by name, ops every app.
const teamA = createKey('team-a', new Set(['read', 'write']), 'team-a-*');
const webReader = createKey('web-reader', new Set(['read']), 'team-b-web');
const ops = createKey('ops', new Set(['admin']));
const APPS = ['team-a-web', 'team-a-api', 'team-b-web', 'other'];

const LIST = '{ apps { nodes { name } } }';
const MACHINES = `query($app: String!) { app(name: $app) { name machines { nodes { machineId state } } } }`;
const START = `mutation($app: String!, $id: String!) {
  startMachine(input: { app: $app, machineId: $id }) { __typename ... on Error { code message } }
}`;
const LIVE_LIST = 'query LiveApps @live { apps { nodes { name } } }';

/** Everything a stream sent, and how it ended. */
interface Recorded {
  results: any[];
  ended: boolean;
  until(test: (results: any[]) => boolean, waitMs?: number): Promise<any[]>;
  close(): Promise<void>;
}

function recorder(): Omit<Recorded, 'close'> & { push(result: unknown): void; end(): void } {
  const state = { results: [] as any[], ended: false };
  return {
    get results() {
      return state.results;
    },
    get ended() {
      return state.ended;
    },
    push: (result) => state.results.push(result),
    end: () => {
      state.ended = true;
    },
    async until(test, waitMs = 5_000) {
      const deadline = Date.now() + waitMs;
      while (!test(state.results)) {
        if (Date.now() > deadline) throw new Error(`stream did not get there in ${waitMs} ms: ${JSON.stringify(state.results)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return state.results;
    },
  };
}

function overWs(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Recorded {
  const record = recorder();
  const client = createWsClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${key}` } });
  const dispose = client.subscribe(
    { query, variables },
    { next: record.push, error: (error) => (record.push({ transportError: error }), record.end()), complete: record.end },
  );
  return Object.assign(record, {
    async close() {
      dispose();
      await client.dispose();
    },
  });
}

function overSse(url: string, key: string, query: string, variables: Record<string, unknown> = {}): Recorded {
  const record = recorder();
  const client = createSseClient({ url, retryAttempts: 0, headers: { authorization: `Bearer ${key}` } });
  const dispose = client.subscribe(
    { query, variables },
    { next: record.push, error: (error) => (record.push({ transportError: error }), record.end()), complete: record.end },
  );
  return Object.assign(record, {
    async close() {
      dispose();
      client.dispose();
    },
  });
}

const hasData = (results: any[]) => results.some((r) => r.data);
const errorCode = (results: any[]) => results.find((r) => r.errors)?.errors[0]?.extensions?.code;

describe('API keys limited to apps', () => {
  let gw: TestGateway;
  let dir: string;
  let keysFile: string;
  const machine: Record<string, string> = {};

  const ask = async (key: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[]; extensions?: any }) };
  };
  const names = (answer: { data?: any }) => answer.data.apps.nodes.map((n: { name: string }) => n.name).sort();
  const fly = (route: string) => gw.emu.requestCounts()[route] ?? 0;
  const writeKeys = (entries: string[]) => writeFileSync(keysFile, `# test keys\n${entries.join('\n')}\n`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flygate-keys-'));
    keysFile = join(dir, 'keys.txt');
    writeKeys([teamA.entry, webReader.entry]);
    gw = await startTestGateway({
      env: { AUTH_MODE: 'api-keys', API_KEYS: ops.entry, API_KEYS_FILE: keysFile, CALLER_RATE_LIMIT: '0', LIVE_THROTTLE_MS: '50' },
    });
    for (const app of APPS) {
      gw.emu.control.createApp(app);
      machine[app] = gw.emu.control.createMachine(app, { state: 'stopped' }).id;
    }
  });
  afterAll(async () => {
    await gw?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should list only the apps of its scope, by prefix or by name, when a scoped key lists apps', async () => {
    expect(names(await ask(ops.key, LIST))).toEqual([...APPS].sort());
    expect(names(await ask(teamA.key, LIST))).toEqual(['team-a-api', 'team-a-web']);
    expect(names(await ask(webReader.key, LIST))).toEqual(['team-b-web']);
    const paged = await ask(teamA.key, '{ apps(first: 1) { nodes { name } pageInfo { hasNextPage endCursor } } }');
    expect(paged.data.apps).toMatchObject({ nodes: [{ name: 'team-a-api' }], pageInfo: { hasNextPage: true } });
    const rest = await ask(teamA.key, `{ apps(first: 5, after: "${paged.data.apps.pageInfo.endCursor}") { nodes { name } } }`);
    expect(rest.data.apps.nodes).toEqual([{ name: 'team-a-web' }]);
  });

  it("should read its own apps and never another's, without asking Fly, when a scoped key names an app", async () => {
    const own = await ask(teamA.key, MACHINES, { app: 'team-a-web' });
    expect(own.data.app.machines.nodes).toEqual([{ machineId: machine['team-a-web'], state: 'STOPPED' }]);
    const getsBefore = fly('apps.get');
    const listsBefore = fly('machines.list');
    const foreign = await ask(teamA.key, MACHINES, { app: 'team-b-web' });
    expect(foreign.data.app).toBeNull();
    expect(fly('apps.get')).toBe(getsBefore);
    expect(fly('machines.list')).toBe(listsBefore);
    expect(JSON.stringify(foreign)).not.toContain(machine['team-b-web']);
  });

  it('should refuse organization-wide reads to a scoped key in words about the organization, without asking Fly', async () => {
    const before = fly('orgs.volumes') + fly('postgres.list');
    for (const query of ['{ organization { volumes { nodes { volumeId } } } }', '{ postgresClusters { clusterId } }']) {
      const answer = await ask(teamA.key, query);
      expect(answer.errors?.[0]?.extensions?.code, JSON.stringify(answer)).toBe('NOT_FOUND');
      expect(answer.errors?.[0]?.message).toMatch(/some apps only, not the whole organization "personal"/);
      // The gateway's internal name for an organization's clusters never reaches the caller.
      expect(JSON.stringify(answer)).not.toContain('postgres-org:');
    }
    expect(fly('orgs.volumes') + fly('postgres.list')).toBe(before);
  });

  it("should never hand a scoped key another caller's cached answer, whole or per read", async () => {
    // ops reads everything first, twice: the second answer is a kept whole answer.
    expect(names(await ask(ops.key, LIST))).toHaveLength(4);
    expect((await ask(ops.key, LIST)).extensions?.cache.response).toBe('hit');
    const scoped = await ask(teamA.key, LIST);
    expect(names(scoped)).toEqual(['team-a-api', 'team-a-web']);
    const scopedAgain = await ask(teamA.key, LIST);
    expect(scopedAgain.extensions?.cache.response).toBe('hit');
    expect(names(scopedAgain)).toEqual(['team-a-api', 'team-a-web']);
    // The per-read cache holds team-b-web's machines now (ops read them); team-a's key still gets nothing.
    await ask(ops.key, MACHINES, { app: 'team-b-web' });
    await ask(ops.key, MACHINES, { app: 'team-b-web' });
    const foreign = await ask(teamA.key, MACHINES, { app: 'team-b-web' });
    expect(foreign.data.app).toBeNull();
    expect(JSON.stringify(foreign)).not.toContain(machine['team-b-web']);
  });

  it('should change only its own apps when a scoped key mutates, over HTTP and WebSockets', async () => {
    const refused = await ask(teamA.key, START, { app: 'team-b-web', id: machine['team-b-web'] });
    expect(refused.data.startMachine).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(refused.data.startMachine.message).toContain('team-b-web');
    const overSocket = overWs(gw.wsUrl, teamA.key, START, { app: 'other', id: machine.other });
    const [result] = await overSocket.until(hasData);
    await overSocket.close();
    expect(result.data.startMachine.__typename).toBe('ForbiddenError');
    expect(fly('machines.start')).toBe(0);
    expect(gw.emu.control.getMachine('team-b-web', machine['team-b-web']).state).toBe('stopped');

    const started = await ask(teamA.key, START, { app: 'team-a-api', id: machine['team-a-api'] });
    expect(started.data.startMachine.__typename).toBe('StartMachineSuccess');
    expect(fly('machines.start')).toBe(1);
  });

  it("should refuse a subscription to another app's events and serve its own, over WebSockets and SSE", async () => {
    for (const open of [overWs, overSse]) {
      const url = open === overWs ? gw.wsUrl : gw.graphqlUrl;
      const foreign = open(url, teamA.key, STATE_CHANGES, { app: 'team-b-web' });
      expect(errorCode(await foreign.until((r) => errorCode(r) !== undefined))).toBe('FORBIDDEN');
      await foreign.close();

      // Resource events of another app too (every app subscription opens through the same check).
      const resources = open(url, teamA.key, 'subscription($app: String!) { appEvents(app: $app) { seq } }', { app: 'team-b-web' });
      expect(errorCode(await resources.until((r) => errorCode(r) !== undefined))).toBe('FORBIDDEN');
      await resources.close();

      const own = open(url, teamA.key, STATE_CHANGES, { app: 'team-a-web' });
      try {
        await own.until((results) => {
          void postWebhook(gw.base, stateChanged('team-a-web', machine['team-a-web'], 'stopped', 'started'));
          return hasData(results);
        });
        expect(own.results.find((r) => r.data).data.machineStateChanged).toMatchObject({ app: 'team-a-web' });
      } finally {
        await own.close();
      }
    }
  });

  it('should keep a live query to its apps when a scoped key runs it over SSE and WebSockets', async () => {
    for (const open of [overSse, overWs]) {
      const live = open(open === overWs ? gw.wsUrl : gw.graphqlUrl, webReader.key, LIVE_LIST);
      try {
        const [first] = await live.until(hasData);
        expect(first.data.apps.nodes).toEqual([{ name: 'team-b-web' }]);
        expect(first.extensions?.live?.revision).toBe(1);
      } finally {
        await live.close();
      }
    }
  });

  it('should end the streams of a removed key and keep those of a kept one when the keys file is reloaded', async () => {
    const removedWs = overWs(gw.wsUrl, teamA.key, STATE_CHANGES, { app: 'team-a-web' });
    const removedSse = overSse(gw.graphqlUrl, teamA.key, STATE_CHANGES, { app: 'team-a-web' });
    const removedLive = overSse(gw.graphqlUrl, teamA.key, LIVE_LIST);
    const kept = overWs(gw.wsUrl, webReader.key, STATE_CHANGES, { app: 'team-b-web' });
    const newcomer = createKey('team-c', new Set(['read']), 'other');
    try {
      // Every stream is open (an event or a first live result has arrived).
      await Promise.all(
        [removedWs, removedSse, kept].map((s, i) =>
          s.until((results) => {
            const app = i === 2 ? 'team-b-web' : 'team-a-web';
            void postWebhook(gw.base, stateChanged(app, machine[app], 'stopped', 'started'));
            return hasData(results);
          }),
        ),
      );
      await removedLive.until(hasData);

      writeKeys([webReader.entry, newcomer.entry]);
      const outcome = gw.gateway.reloadKeys();
      expect(outcome).toEqual({ kept: 1, added: 1, removed: 1 });

      for (const stream of [removedWs, removedSse, removedLive]) {
        expect(errorCode(await stream.until((r) => errorCode(r) !== undefined))).toBe('UNAUTHENTICATED');
      }
      expect((await ask(teamA.key, LIST)).status).toBe(401);
      expect(names(await ask(newcomer.key, LIST))).toEqual(['other']);

      // The kept key's stream still delivers after the reload.
      const before = kept.results.length;
      await kept.until((results) => {
        void postWebhook(gw.base, stateChanged('team-b-web', machine['team-b-web'], 'started', 'stopped'));
        return results.length > before;
      });
      expect(kept.results.at(-1).data.machineStateChanged.app).toBe('team-b-web');
      expect(errorCode(kept.results)).toBeUndefined();
    } finally {
      await Promise.all([removedWs, removedSse, removedLive, kept].map((s) => s.close()));
    }
  });

  it('should reload by itself when the keys file changes, and keep the keys when the new file is bad', async () => {
    const later = createKey('team-d', new Set(['read']), 'team-a-web');
    writeKeys([webReader.entry, later.entry]);
    const deadline = Date.now() + 5_000;
    while ((await ask(later.key, LIST)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the keys file change was not picked up');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(names(await ask(later.key, LIST))).toEqual(['team-a-web']);

    writeFileSync(keysFile, 'not-an-entry\n');
    const outcome = gw.gateway.reloadKeys();
    expect(outcome).toBeInstanceOf(Error);
    expect(String(outcome)).toContain('line 1');
    expect((await ask(later.key, LIST)).status).toBe(200);
    // The fixed API_KEYS entries are never touched by the file.
    expect(names(await ask(ops.key, LIST))).toHaveLength(4);
  });
});
