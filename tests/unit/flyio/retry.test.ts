import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { backoffDelayMs, defaultRetrySettings, isRetryable, isSafeMethod, parseRetryAfterMs } from '#src/flyio/retry.js';
import { buildMachine, createHarness, rejectionOf, settle, socketError, type Harness } from './helpers.js';

const MACHINE_PATH = '/v1/apps/my-app/machines/m1';

describe('retry decisions', () => {
  it('should retry safe methods on transient statuses and never unsafe ones', () => {
    for (const status of [408, 429, 502, 503, 504]) expect(isRetryable('GET', { kind: 'status', status })).toBe(true);
    for (const status of [400, 401, 404, 409, 422, 500]) expect(isRetryable('GET', { kind: 'status', status })).toBe(false);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      expect(isRetryable(method, { kind: 'status', status: 503 })).toBe(false);
      expect(isRetryable(method, { kind: 'transport', transport: 'reset' })).toBe(false);
    }
  });

  it('should not retry a wait 408 because it is an answer', () => {
    expect(isRetryable('GET', { kind: 'status', status: 408 }, true)).toBe(false);
  });

  it('should keep full-jitter delays within [0, min(cap, base * 2^n)) when random varies', () => {
    const settings = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 2000 };
    expect(backoffDelayMs(settings, 0, () => 0)).toBe(0);
    expect(backoffDelayMs(settings, 0, () => 0.999)).toBe(99);
    expect(backoffDelayMs(settings, 3, () => 0.999)).toBe(799);
    expect(backoffDelayMs(settings, 8, () => 0.999)).toBe(1998);
    expect(backoffDelayMs(settings, 2, () => 0.5)).toBe(200);
  });

  it('should use Retry-After as a floor over jitter when one is given', () => {
    expect(backoffDelayMs(defaultRetrySettings, 0, () => 0.5, 1500)).toBe(1500);
    expect(backoffDelayMs(defaultRetrySettings, 4, () => 0.9, 10)).toBe(1440);
  });

  it('should parse Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfterMs('3', now)).toBe(3000);
    expect(parseRetryAfterMs(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfterMs(new Date(now - 5000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('retry decisions in detail', () => {
  it('should treat only GET and HEAD as safe', () => {
    expect(isSafeMethod('GET')).toBe(true);
    expect(isSafeMethod('HEAD')).toBe(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'get', '']) expect(isSafeMethod(method)).toBe(false);
  });

  it('should retry safe transport failures except a timeout', () => {
    for (const transport of ['connect', 'reset', 'other'] as const)
      expect(isRetryable('HEAD', { kind: 'transport', transport })).toBe(true);
    expect(isRetryable('GET', { kind: 'transport', transport: 'timeout' })).toBe(false);
    expect(isRetryable('POST', { kind: 'transport', transport: 'connect' })).toBe(false);
  });

  it('should still retry other transient statuses of a wait, and a 408 of a non-wait', () => {
    expect(isRetryable('GET', { kind: 'status', status: 503 }, true)).toBe(true);
    expect(isRetryable('GET', { kind: 'status', status: 408 }, false)).toBe(true);
  });

  it('should double the ceiling per retry until the cap', () => {
    const settings = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    const top = () => 0.9999999;
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(settings, n, top))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(settings, 1, () => 0.5)).toBe(100);
  });

  it('should keep the jitter when it is above Retry-After', () => {
    expect(backoffDelayMs({ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 5000 }, 0, () => 0.5, 100)).toBe(500);
    expect(backoffDelayMs({ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 5000 }, 0, () => 0.5, 0)).toBe(500);
  });
});

describe('parseRetryAfterMs edge cases', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('should accept whole seconds with surrounding spaces and zero', () => {
    expect(parseRetryAfterMs(' 7 ', now)).toBe(7000);
    expect(parseRetryAfterMs('0', now)).toBe(0);
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
  });

  it('should accept fractional seconds to the nearest millisecond', () => {
    expect(parseRetryAfterMs('1.5', now)).toBe(1500);
    expect(parseRetryAfterMs('0.25', now)).toBe(250);
    expect(parseRetryAfterMs('2.0004', now)).toBe(2000);
    expect(parseRetryAfterMs('2.0006', now)).toBe(2001);
  });

  it.each([
    '',
    '   ',
    '-1',
    '+3',
    '1.',
    '.5',
    '1,5',
    '1.5.2',
    '1e3',
    '0x10',
    '3s',
    '120 seconds',
    'Infinity',
    'NaN',
    '5 5',
    '1/2',
    '2026-01-01',
    'Mon, 99 Foo 2026',
  ])('should ignore a malformed value %j instead of reading it as a date', (value) => {
    expect(parseRetryAfterMs(value, now)).toBeUndefined();
  });

  it('should accept all three HTTP date forms', () => {
    const at = now + 90_000; // Thu, 01 Jan 2026 12:01:30 GMT; asctime has no zone and reads as local time
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfterMs('Thursday, 01-Jan-26 12:01:30 GMT', now)).toBe(90_000);
    expect(parseRetryAfterMs('Thu Jan  1 12:01:30 2026', now + new Date(at).getTimezoneOffset() * 60_000)).toBe(90_000);
    expect(parseRetryAfterMs('thu, 01 jan 2026 12:01:30 gmt', now)).toBe(90_000);
  });

  it('should give 0 for a date now or in the past', () => {
    expect(parseRetryAfterMs(new Date(now).toUTCString(), now)).toBe(0);
    expect(parseRetryAfterMs(new Date(now - 1000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfterMs(new Date(now + 1000).toUTCString(), now)).toBe(1000);
  });
});

describe('client retries', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it.each([[503], [502], [504], [429], [408]])('should retry a GET when Fly answers %i and succeed on the next attempt', async (status) => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(status, { error: 'busy' });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    const machine = await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    expect(machine.id).toBe('m1');
    expect(h.calls.map((c) => [c.status, c.attempt])).toEqual([
      [status, 1],
      [200, 2],
    ]);
  });

  it.each([['ECONNRESET'], ['ECONNREFUSED'], ['UND_ERR_SOCKET']])('should retry a GET when the connection fails with %s', async (code) => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).replyWithError(socketError(code));
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    expect(h.calls.map((c) => c.status)).toEqual([0, 200]);
  });

  it('should stop after maxAttempts and surface the last error when Fly keeps failing', async () => {
    h = createHarness({ rateLimit: false, retry: { maxAttempts: 4 } });
    h.pool
      .intercept({ path: MACHINE_PATH, method: 'GET' })
      .reply(503, { error: 'down' }, { headers: { 'fly-request-id': 'req-9' } })
      .times(10);
    const error = (await rejectionOf(settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' })))) as FlyApiError;
    expect(h.calls).toHaveLength(4);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.httpStatus).toBe(503);
    expect(error.requestId).toBe('req-9');
  });

  it('should request full-jitter sleeps from the clock when retrying without Retry-After', async () => {
    h = createHarness({ rateLimit: false, random: () => 0.999 });
    const sleep = vi.spyOn(h.clock, 'sleep');
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(503, {}).times(3);
    await rejectionOf(settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' })));
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([99, 199]);
  });

  it('should sleep at least Retry-After seconds when a 429 carries it', async () => {
    h = createHarness({ rateLimit: false, random: () => 0.5 });
    const sleep = vi.spyOn(h.clock, 'sleep');
    h.pool
      .intercept({ path: MACHINE_PATH, method: 'GET' })
      .reply(429, { error: 'rate limit exceeded' }, { headers: { 'retry-after': '2' } });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([2000]);
    expect(h.calls).toHaveLength(2);
  });

  it('should honour Retry-After given as an HTTP date when a 503 carries it', async () => {
    h = createHarness({ rateLimit: false, random: () => 0 });
    const sleep = vi.spyOn(h.clock, 'sleep');
    const at = new Date(h.clock.now() + 3000).toUTCString();
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(503, {}, { headers: { 'retry-after': at } });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([3000]);
  });

  it('should give up at once with RATE_LIMITED when Retry-After exceeds the remaining deadline', async () => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(429, { error: 'slow down' }, { headers: { 'retry-after': '60' } });
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(60);
    expect(h.calls).toHaveLength(1);
  });

  type Mutation = [string, string, string, (h: Harness) => Promise<unknown>];
  const mutations: Mutation[] = [
    ['machines.create', 'POST', '/v1/apps/my-app/machines', (x) => x.client.machines.create({ app: 'my-app', config: { image: 'nginx' } })],
    ['machines.start', 'POST', `${MACHINE_PATH}/start`, (x) => x.client.machines.start({ app: 'my-app', machineId: 'm1' })],
    ['machines.stop', 'POST', `${MACHINE_PATH}/stop`, (x) => x.client.machines.stop({ app: 'my-app', machineId: 'm1' })],
    ['machines.restart', 'POST', `${MACHINE_PATH}/restart`, (x) => x.client.machines.restart({ app: 'my-app', machineId: 'm1' })],
    [
      'machines.update',
      'POST',
      MACHINE_PATH,
      (x) => x.client.machines.update({ app: 'my-app', machineId: 'm1', config: { image: 'nginx' } }),
    ],
    ['machines.destroy', 'DELETE', MACHINE_PATH, (x) => x.client.machines.destroy({ app: 'my-app', machineId: 'm1' })],
  ];

  it.each(mutations)('should send %s once and not retry when Fly answers 503', async (_op, method, path, run) => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path, method }).reply(503, { error: 'down' }).times(3);
    const error = (await rejectionOf(settle(h.clock, run(h)))) as FlyApiError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.calls).toHaveLength(1);
  });

  it.each(mutations)(
    'should report OUTCOME_UNKNOWN after exactly one call when %s loses its connection',
    async (_op, method, path, run) => {
      h = createHarness({ rateLimit: false });
      h.pool.intercept({ path, method }).replyWithError(socketError('ECONNRESET')).times(3);
      const error = (await rejectionOf(settle(h.clock, run(h)))) as FlyApiError;
      expect(error.code).toBe('OUTCOME_UNKNOWN');
      expect(error.retryable).toBe(false);
      expect(h.calls).toHaveLength(1);
    },
  );

  it.each(mutations)('should report OUTCOME_UNKNOWN after exactly one call when %s times out', async (_op, method, path, run) => {
    h = createHarness({ rateLimit: false, deadlineMs: 1000 });
    h.pool.intercept({ path, method }).reply(200, {}).delay(3000).times(3);
    const outcome = rejectionOf(run(h));
    await h.clock.advance(1000);
    const error = (await outcome) as FlyApiError;
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.message).toMatch(/may or may not have been applied/);
    expect(h.calls).toHaveLength(1);
  });

  it('should return RATE_LIMITED with retryAfterSeconds and no retry when a POST gets 429', async () => {
    h = createHarness({ rateLimit: false });
    h.pool
      .intercept({ path: `${MACHINE_PATH}/start`, method: 'POST' })
      .reply(429, { error: 'rate limit exceeded' }, { headers: { 'retry-after': '1' } });
    const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(1);
    expect(h.calls).toHaveLength(1);
  });

  it('should report UPSTREAM_UNAVAILABLE without retry when a POST connection is refused', async () => {
    h = createHarness({ rateLimit: false });
    h.pool
      .intercept({ path: `${MACHINE_PATH}/start`, method: 'POST' })
      .replyWithError(socketError('ECONNREFUSED'))
      .times(2);
    const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.calls).toHaveLength(1);
  });

  it('should report a fractional Retry-After rounded up to whole seconds and wait for it', async () => {
    h = createHarness({ rateLimit: false, random: () => 0 });
    const sleep = vi.spyOn(h.clock, 'sleep');
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(429, { error: 'slow down' }, { headers: { 'retry-after': '1.5' } });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([1500]);
    h.pool
      .intercept({ path: `${MACHINE_PATH}/start`, method: 'POST' })
      .reply(429, { error: 'slow down' }, { headers: { 'retry-after': '1.5' } });
    const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.retryAfterSeconds).toBe(2);
  });

  it('should not report a malformed Retry-After as "retry now"', async () => {
    h = createHarness({ rateLimit: false, random: () => 0.999 });
    const sleep = vi.spyOn(h.clock, 'sleep');
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(503, {}, { headers: { 'retry-after': '-1' } });
    h.pool.intercept({ path: MACHINE_PATH, method: 'GET' }).reply(200, buildMachine({ id: 'm1' }));
    await settle(h.clock, h.client.machines.get({ app: 'my-app', machineId: 'm1' }));
    // Plain jitter, as if no header had come.
    expect(sleep.mock.calls.map((c) => c[0])).toEqual([99]);
    h.pool
      .intercept({ path: `${MACHINE_PATH}/start`, method: 'POST' })
      .reply(429, { error: 'slow down' }, { headers: { 'retry-after': '1.' } });
    const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterSeconds).toBeUndefined();
  });
});
