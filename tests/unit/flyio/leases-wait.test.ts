import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { buildMachine, createHarness, rejectionOf, type Harness } from './helpers.js';

const MACHINE = '/v1/apps/my-app/machines/m1';
const REF = { app: 'my-app', machineId: 'm1' };
const LEASE = { nonce: 'fed368b018e9', expires_at: 1767225700, owner: 'me@example.com', description: 'deploy', version: 'v1' };

function captureHeaders(h: Harness, path: string, method: string, reply: { status: number; data: unknown }) {
  const seen: { headers?: Record<string, string>; body?: string } = {};
  h.pool.intercept({ path, method }).reply((opts) => {
    seen.headers = opts.headers as Record<string, string>;
    seen.body = typeof opts.body === 'string' ? opts.body : undefined;
    return { statusCode: reply.status, data: reply.data as object };
  });
  return seen;
}

describe('leases', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should unwrap a {status, data} lease body when acquiring', async () => {
    h = createHarness();
    const seen = captureHeaders(h, `${MACHINE}/lease`, 'POST', { status: 201, data: { status: 'success', data: LEASE } });
    const lease = await h.client.machines.acquireLease({ ...REF, ttlSeconds: 30, description: 'deploy' });
    expect(lease).toEqual(LEASE);
    expect(JSON.parse(seen.body ?? '{}')).toEqual({ ttl: 30, description: 'deploy' });
    expect(seen.headers?.['fly-machine-lease-nonce']).toBeUndefined();
  });

  it('should accept a flat lease body as the spec documents it', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/lease`, method: 'GET' }).reply(200, LEASE);
    expect(await h.client.machines.getLease(REF)).toEqual(LEASE);
  });

  it('should return null when the machine has no lease (404)', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/lease`, method: 'GET' }).reply(404, { error: 'lease not found' });
    expect(await h.client.machines.getLease(REF)).toBeNull();
  });

  it('should refresh by sending the nonce header when acquireLease is given a leaseNonce', async () => {
    h = createHarness();
    const seen = captureHeaders(h, `${MACHINE}/lease`, 'POST', { status: 201, data: { status: 'success', data: LEASE } });
    await h.client.machines.acquireLease({ ...REF, ttlSeconds: 60 }, { leaseNonce: 'fed368b018e9' });
    expect(seen.headers?.['fly-machine-lease-nonce']).toBe('fed368b018e9');
  });

  it('should send the nonce header and accept a wrapped ok body when releasing', async () => {
    h = createHarness();
    const seen = captureHeaders(h, `${MACHINE}/lease`, 'DELETE', { status: 200, data: { status: 'success', data: { ok: true } } });
    await h.client.machines.releaseLease({ ...REF, nonce: 'fed368b018e9' });
    expect(seen.headers?.['fly-machine-lease-nonce']).toBe('fed368b018e9');
  });

  it('should map a held lease to LEASE_HELD when acquiring', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: `${MACHINE}/lease`, method: 'POST' })
      .reply(409, { status: 'error', message: 'lease currently held by other@example.com', code: 'invalid' });
    const error = (await rejectionOf(h.client.machines.acquireLease(REF))) as FlyApiError;
    expect(error.code).toBe('LEASE_HELD');
  });

  it.each([
    ['start', 'POST', '/start', (x: Harness, o: object) => x.client.machines.start(REF, o)],
    ['stop', 'POST', '/stop', (x: Harness, o: object) => x.client.machines.stop(REF, o)],
    ['restart', 'POST', '/restart', (x: Harness, o: object) => x.client.machines.restart(REF, o)],
    ['suspend', 'POST', '/suspend', (x: Harness, o: object) => x.client.machines.suspend(REF, o)],
    ['cordon', 'POST', '/cordon', (x: Harness, o: object) => x.client.machines.cordon(REF, o)],
    ['uncordon', 'POST', '/uncordon', (x: Harness, o: object) => x.client.machines.uncordon(REF, o)],
    ['signal', 'POST', '/signal', (x: Harness, o: object) => x.client.machines.signal({ ...REF, signal: 'SIGHUP' }, o)],
    ['destroy', 'DELETE', '', (x: Harness, o: object) => x.client.machines.destroy(REF, o)],
    [
      'setMetadata',
      'POST',
      '/metadata/role',
      (x: Harness, o: object) => x.client.machines.setMetadata({ ...REF, key: 'role', value: 'web' }, o),
    ],
    ['deleteMetadata', 'DELETE', '/metadata/role', (x: Harness, o: object) => x.client.machines.deleteMetadata({ ...REF, key: 'role' }, o)],
  ])('should send fly-machine-lease-nonce on %s when a leaseNonce is given', async (_name, method, suffix, run) => {
    h = createHarness();
    const seen = captureHeaders(h, `${MACHINE}${suffix}`, method, { status: 200, data: '' });
    await run(h, { leaseNonce: 'n-123' });
    expect(seen.headers?.['fly-machine-lease-nonce']).toBe('n-123');
  });

  it('should send the nonce on update and never on reads', async () => {
    h = createHarness();
    const update = captureHeaders(h, MACHINE, 'POST', { status: 200, data: buildMachine({ id: 'm1' }) });
    const read = captureHeaders(h, MACHINE, 'GET', { status: 200, data: buildMachine({ id: 'm1' }) });
    await h.client.machines.update({ ...REF, config: { image: 'x' } }, { leaseNonce: 'n-1' });
    await h.client.machines.get(REF, { leaseNonce: 'n-1' });
    expect(update.headers?.['fly-machine-lease-nonce']).toBe('n-1');
    expect(read.headers?.['fly-machine-lease-nonce']).toBeUndefined();
  });

  it('should refuse a nonce that would break the header without calling Fly', async () => {
    h = createHarness();
    const error = (await rejectionOf(h.client.machines.start(REF, { leaseNonce: 'a\r\nb' }))) as FlyApiError;
    expect(error.code).toBe('BAD_REQUEST');
    expect(h.calls).toHaveLength(0);
  });
});

describe('wait', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should send state, version, from_event_id and timeout and report reached when Fly answers 200', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: `${MACHINE}/wait?state=started%2Cstopped&version=v2&from_event_id=e1&timeout=30`, method: 'GET' })
      .reply(200, { ok: true, state: 'stopped', version: 'v2', event_id: 'e2' });
    const result = await h.client.machines.wait({
      ...REF,
      state: ['started', 'stopped'],
      version: 'v2',
      fromEventId: 'e1',
      timeoutSeconds: 30,
    });
    expect(result).toEqual({ reached: true, ok: true, state: 'stopped', version: 'v2', event_id: 'e2' });
  });

  it('should return reached:false without retrying when Fly answers 408', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: `${MACHINE}/wait?state=started&timeout=5`, method: 'GET' })
      .reply(408, { error: 'timeout' })
      .times(3);
    const result = await h.client.machines.wait({ ...REF, state: 'started', timeoutSeconds: 5 });
    expect(result).toEqual({ reached: false });
    expect(h.calls).toHaveLength(1);
  });

  it('should clamp each request to [1, 60] seconds', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/wait?timeout=1`, method: 'GET' }).reply(200, { ok: true });
    await expect(h.client.machines.wait({ ...REF, timeoutSeconds: 0.2 })).resolves.toMatchObject({ reached: true });
  });

  it('should chain 60 s waits until the total timeout has elapsed when it exceeds 60 s', async () => {
    h = createHarness();
    const timeouts: string[] = [];
    h.pool
      .intercept({ path: (p) => p.startsWith(`${MACHINE}/wait`), method: 'GET' })
      .reply((opts) => {
        timeouts.push(new URL(`http://x${opts.path}`).searchParams.get('timeout') ?? '');
        return { statusCode: 408, data: { error: 'timeout' } };
      })
      .times(5);
    const result = await h.client.machines.wait({ ...REF, timeoutSeconds: 150 });
    expect(result).toEqual({ reached: false });
    expect(timeouts).toEqual(['60', '60', '30']);
  });

  it('should measure chained waits on the clock and stop when the clock says the time is up', async () => {
    h = createHarness();
    let served = 0;
    h.pool
      .intercept({ path: (p) => p.startsWith(`${MACHINE}/wait`), method: 'GET' })
      .reply(() => {
        served += 1;
        return { statusCode: 408, data: {} };
      })
      .times(5);
    // The first 408 arrives, then 130 s pass on the clock before the chain decides what to do next.
    const clock = h.clock;
    const original = clock.now;
    let shift = 0;
    clock.now = () => original() + shift;
    const pending = h.client.machines.wait({ ...REF, timeoutSeconds: 120 });
    shift = 130_000;
    expect(await pending).toEqual({ reached: false });
    expect(served).toBe(1);
  });

  it('should return reached:true when a chained wait eventually succeeds', async () => {
    h = createHarness();
    h.pool.intercept({ path: `${MACHINE}/wait?timeout=60`, method: 'GET' }).reply(408, {});
    h.pool.intercept({ path: `${MACHINE}/wait?timeout=40`, method: 'GET' }).reply(200, '');
    await expect(h.client.machines.wait({ ...REF, timeoutSeconds: 100 })).resolves.toEqual({ reached: true });
  });

  it('should reject a non-positive total timeout', async () => {
    h = createHarness();
    const error = (await rejectionOf(h.client.machines.wait({ ...REF, timeoutSeconds: 0 }))) as FlyApiError;
    expect(error.code).toBe('BAD_REQUEST');
  });
});
