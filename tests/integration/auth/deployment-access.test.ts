import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';
import { HEALTHY_CONFIG } from '../deploy/harness.js';
import { subscribeWs } from '../events/harness.js';

// A deployment belongs to its app: whoever cannot read the app cannot see, follow or cancel it; whoever may only
// read it cannot deploy or cancel; and a rollout acts with the authority of the caller who started it.

const OWNER = 'emu_tenant_owner_0123456789abcdef';
const STRANGER = 'emu_tenant_stranger_0123456789abc';
const READER = 'emu_tenant_reader_0123456789abcde';
const PEER = 'emu_tenant_peer_0123456789abcdefg';

const DEPLOY = `mutation($app: String!, $image: String!) {
  deployApp(input: { app: $app, image: $image, waitTimeoutSeconds: 300 }) {
    __typename ... on DeployAppSuccess { deployment { id status } } ... on Error { code message }
  }
}`;
const GET = 'query($id: String!) { deployment(id: $id) { id app status image machines { machineId } } }';
const CANCEL = `mutation($id: String!) { cancelDeployment(id: $id) { __typename ... on CancelDeploymentSuccess { deployment { status } } ... on Error { code message } } }`;
const PROGRESS = 'subscription($id: String!) { deploymentProgress(id: $id) { kind status step { machineId } } }';

describe('deployments in fly-token mode', () => {
  let emu: Emulator;
  let built: BuiltTestGateway;
  let id = '';
  const wsUrl = () => built.url.replace(/^http/, 'ws');

  const ask = async (token: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: any; errors?: { extensions: { code: string } }[] };
  };

  beforeAll(async () => {
    emu = createEmulator({
      seed: 'none',
      delays: INSTANT,
      scopedTokens: { [OWNER]: ['shop', 'reader-app'], [STRANGER]: ['elsewhere'], [PEER]: ['shop'] },
      readOnlyTokens: { [READER]: ['shop', 'reader-app'] },
    });
    await emu.start({ port: 0, host: '127.0.0.1' });
    for (const app of ['shop', 'reader-app', 'elsewhere']) {
      emu.control.createApp(app);
      for (let i = 0; i < 2; i++) emu.control.createMachine(app, { config: HEALTHY_CONFIG, state: 'started' });
    }
    built = await buildTestGateway({ emulator: emu, listen: true, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    // Checks never pass: the deployment keeps running until it is cancelled.
    const started = await ask(OWNER, DEPLOY, { app: 'shop', image: 'registry.fly.io/shop:v2-unhealthy' });
    expect(started.data.deployApp.__typename).toBe('DeployAppSuccess');
    id = started.data.deployApp.deployment.id;
  });
  afterAll(async () => {
    await built?.close();
    await emu?.stop();
  });

  it("should show a deployment only to callers who can read its app, and to a stranger exactly as an unknown id's", async () => {
    expect((await ask(OWNER, GET, { id })).data.deployment).toMatchObject({ id, app: 'shop' });
    expect((await ask(READER, GET, { id })).data.deployment).toMatchObject({ id });
    const stranger = await ask(STRANGER, GET, { id });
    expect(stranger.data.deployment).toBeNull();
    const unknown = await ask(STRANGER, GET, { id: 'dep_00000000000000000000' });
    expect(unknown.data.deployment).toBeNull();
    expect(JSON.stringify(stranger)).not.toContain('shop');
  });

  it("should not let a stranger follow a deployment's progress, over graphql-ws or SSE", async () => {
    const ws = subscribeWs(wsUrl(), PROGRESS, { id }, { connectionParams: { authorization: `Bearer ${STRANGER}` } });
    try {
      const failure = (await ws.failed) as { extensions?: { code?: string }; message: string }[];
      expect(failure[0].extensions?.code).toBe('NOT_FOUND');
      expect(failure[0].message).not.toContain('shop');
    } finally {
      await ws.close();
    }
    const sse = await fetch(built.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${STRANGER}` },
      body: JSON.stringify({ query: PROGRESS, variables: { id } }),
    });
    const text = await sse.text();
    expect(text).toContain('NOT_FOUND');
    expect(text).not.toContain('machineId');
    // The owner follows it as before.
    const mine = subscribeWs(wsUrl(), PROGRESS, { id }, { connectionParams: { authorization: `Bearer ${OWNER}` } });
    try {
      expect(await mine.next()).toMatchObject({ kind: 'STEP' });
    } finally {
      await mine.close();
    }
  });

  it('should refuse to cancel for a stranger (NOT_FOUND) and for a read-only token (FORBIDDEN), and leave it running', async () => {
    expect((await ask(STRANGER, CANCEL, { id })).data.cancelDeployment).toMatchObject({ __typename: 'NotFoundError' });
    expect((await ask(READER, CANCEL, { id })).data.cancelDeployment).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect((await ask(OWNER, GET, { id })).data.deployment.status).toBe('RUNNING');
    // The write check left no lease of its own behind: the deployment's leases are the only ones.
    for (const machine of (await ask(OWNER, GET, { id })).data.deployment.machines) {
      const lease = emu.control.getMachine('shop', machine.machineId).lease as { description?: string } | undefined;
      expect(lease?.description).toBe(`flygate deployment ${id}`);
    }
  });

  it('should not let a read-only token deploy: the rollout acts with its authority, and nothing changes', async () => {
    const view = (m: Record<string, any>) => ({ id: m.id, image: m.config.image, version: m.version });
    const before = emu.control.listMachines('reader-app').map(view);
    const answer = await ask(READER, DEPLOY, { app: 'reader-app', image: 'registry.fly.io/shop:v9' });
    expect(answer.data.deployApp.__typename).not.toBe('DeployAppSuccess');
    expect(answer.data.deployApp).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    for (const m of before) {
      const now = emu.control.getMachine('reader-app', m.id);
      expect(view(now)).toEqual(m);
      expect(now.lease).toBeUndefined();
    }
  });

  it('should let another writer of the app cancel, and answer a typed error once it has ended', async () => {
    const cancelled = await ask(PEER, CANCEL, { id });
    expect(cancelled.data.cancelDeployment.__typename).toBe('CancelDeploymentSuccess');
    let status = '';
    for (let i = 0; i < 100 && !['CANCELLED', 'FAILED', 'ROLLED_BACK'].includes(status); i++) {
      status = (await ask(OWNER, GET, { id })).data.deployment.status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('CANCELLED');
    const again = await ask(OWNER, CANCEL, { id });
    expect(again.data.cancelDeployment).toMatchObject({
      __typename: 'InvalidStateError',
      message: expect.stringMatching(/already ended CANCELLED/),
    });
  });
});

describe('deployments with API keys', () => {
  it('should let a read key see a deployment but not cancel it, and refuse a cancel of a SUCCEEDED one', async () => {
    const reader = createKey('reader', new Set(['read']));
    const writer = createKey('writer', new Set(['read', 'write']));
    const built = await buildTestGateway({ listen: true, env: { AUTH_MODE: 'api-keys', API_KEYS: `${reader.entry},${writer.entry}` } });
    try {
      built.emu.control.createApp('keyed');
      built.emu.control.createMachine('keyed', { config: HEALTHY_CONFIG, state: 'started' });
      const ask = async (key: string, query: string, variables: Record<string, unknown>) =>
        (await (
          await fetch(built.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query, variables }),
          })
        ).json()) as { data: any };
      const started = await ask(writer.key, DEPLOY, { app: 'keyed', image: 'registry.fly.io/keyed:v2' });
      const depId = started.data.deployApp.deployment.id;
      let status = '';
      for (let i = 0; i < 100 && status !== 'SUCCEEDED'; i++) {
        status = (await ask(reader.key, GET, { id: depId })).data.deployment.status;
        if (status !== 'SUCCEEDED') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe('SUCCEEDED');
      expect((await ask(reader.key, CANCEL, { id: depId })).data.cancelDeployment.__typename).toBe('ForbiddenError');
      expect((await ask(writer.key, CANCEL, { id: depId })).data.cancelDeployment).toMatchObject({
        __typename: 'InvalidStateError',
        message: expect.stringMatching(/already ended SUCCEEDED/),
      });
    } finally {
      await built.close();
    }
  });

  it('should refuse an image reference with a newline or NUL before anything is leased', async () => {
    const built = await buildTestGateway({});
    try {
      built.emu.control.createApp('plain');
      const machine = built.emu.control.createMachine('plain', { config: HEALTHY_CONFIG, state: 'started' });
      for (const image of ['registry.fly.io/x:1\nINJECTED', 'registry.fly.io/x:1\u0000', 'registry.fly.io/x :1']) {
        const response = await built.gateway.fetch('http://gateway/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: DEPLOY, variables: { app: 'plain', image } }),
        });
        const body = (await response.json()) as { data: { deployApp: { __typename: string } } };
        expect(body.data.deployApp.__typename).toBe('InvalidInputError');
      }
      expect(built.emu.requestCounts()['machines.lease.acquire'] ?? 0).toBe(0);
      expect(built.emu.control.getMachine('plain', machine.id).lease).toBeUndefined();
    } finally {
      await built.close();
    }
  });
});
