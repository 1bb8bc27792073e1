import { createServer, type AddressInfo } from 'node:net';
import { Agent, errors as undiciErrors } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  classifyTransportError,
  notStartedError,
  safeCause,
  statusError,
  transportError,
  type StatusErrorContext,
} from '#src/flyio/error-map.js';
import { FlyApiError } from '#src/flyio/errors.js';
import { createHarness, rejectionOf, socketError, type Harness } from './helpers.js';

const noRedact = (text: string) => text;

function status(overrides: Partial<StatusErrorContext>): FlyApiError {
  return statusError({ operation: 'machines.get', method: 'GET', status: 500, body: undefined, redact: noRedact, ...overrides });
}

describe('statusError', () => {
  it.each([
    [400, 'GET', 'BAD_REQUEST'],
    [401, 'GET', 'UNAUTHORIZED'],
    [403, 'GET', 'UNAUTHORIZED'],
    [404, 'GET', 'NOT_FOUND'],
    [410, 'GET', 'NOT_FOUND'],
    [408, 'GET', 'UPSTREAM_UNAVAILABLE'],
    [412, 'POST', 'VERSION_CONFLICT'],
    [422, 'POST', 'UNPROCESSABLE'],
    [429, 'POST', 'RATE_LIMITED'],
    [500, 'POST', 'UPSTREAM_UNAVAILABLE'],
    [501, 'GET', 'UPSTREAM_UNAVAILABLE'],
    [502, 'GET', 'UPSTREAM_UNAVAILABLE'],
    [504, 'HEAD', 'UPSTREAM_UNAVAILABLE'],
    [502, 'POST', 'OUTCOME_UNKNOWN'],
    [504, 'DELETE', 'OUTCOME_UNKNOWN'],
    [503, 'POST', 'UPSTREAM_UNAVAILABLE'],
    [599, 'GET', 'UPSTREAM_UNAVAILABLE'],
    [300, 'GET', 'INVALID_RESPONSE'],
    [302, 'GET', 'INVALID_RESPONSE'],
    [399, 'GET', 'INVALID_RESPONSE'],
    [405, 'GET', 'BAD_REQUEST'],
    [418, 'GET', 'BAD_REQUEST'],
    [499, 'GET', 'BAD_REQUEST'],
  ])('should map HTTP %i on %s to %s', (httpStatus, method, code) => {
    const error = status({ status: httpStatus, method });
    expect(error).toBeInstanceOf(FlyApiError);
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(httpStatus);
  });

  it('should map 408 to WAIT_TIMEOUT only when the call is a wait', () => {
    expect(status({ status: 408, isWait: true }).code).toBe('WAIT_TIMEOUT');
    expect(status({ status: 408, isWait: false }).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([
    [{ status: 'error' }, 'LEASE_HELD'],
    [{ status: 'conflict', error: 'version mismatch' }, 'VERSION_CONFLICT'],
    [{ error: 'machine has an active LEASE' }, 'LEASE_HELD'],
    [{ message: 'bad Nonce given' }, 'LEASE_HELD'],
    ['lease is held by someone', 'LEASE_HELD'],
    ['version moved on', 'VERSION_CONFLICT'],
    [['lease'], 'VERSION_CONFLICT'],
    [{ error: 42, message: 'lease' }, 'LEASE_HELD'],
    [undefined, 'VERSION_CONFLICT'],
  ])('should tell a lease 409 from a version 409 when the body is %j', (body, code) => {
    expect(status({ status: 409, method: 'POST', body }).code).toBe(code);
  });

  it('should build the message from operation, Fly text and status', () => {
    const error = status({ operation: 'machines.start', status: 422, body: { error: 'bad config' } });
    expect(error.message).toBe('machines.start failed: bad config (HTTP 422)');
    expect(error.operation).toBe('machines.start');
  });

  it('should fall back to message, then to the bare status, when error is missing or empty', () => {
    expect(status({ status: 400, body: { error: '', message: 'from message' } }).message).toBe(
      'machines.get failed: from message (HTTP 400)',
    );
    expect(status({ status: 400, body: { message: '' } }).message).toBe('machines.get failed: HTTP 400 (HTTP 400)');
    expect(status({ status: 400, body: 'plain text body' }).message).toBe('machines.get failed: HTTP 400 (HTTP 400)');
    expect(status({ status: 400, body: null }).message).toBe('machines.get failed: HTTP 400 (HTTP 400)');
    expect(status({ status: 400, body: [{ error: 'in an array' }] }).message).toBe('machines.get failed: HTTP 400 (HTTP 400)');
  });

  it('should collapse whitespace and trim the upstream text', () => {
    expect(status({ status: 400, body: { error: '  line one\n\n\tline   two  ' } }).message).toBe(
      'machines.get failed: line one line two (HTTP 400)',
    );
  });

  it('should cut the upstream text at 300 characters and mark the cut', () => {
    const exact = 'a'.repeat(300);
    expect(status({ status: 400, body: { error: exact } }).message).toBe(`machines.get failed: ${exact} (HTTP 400)`);
    const long = 'b'.repeat(301);
    expect(status({ status: 400, body: { error: long } }).message).toBe(`machines.get failed: ${'b'.repeat(300)}… (HTTP 400)`);
  });

  it('should pass message and Fly status through the redactor', () => {
    const redact = (text: string) => text.replaceAll('SECRET', '[redacted]');
    const error = status({ status: 401, body: { error: 'token SECRET rejected', status: 'SECRET' }, redact });
    expect(error.message).toBe('machines.get failed: token [redacted] rejected (HTTP 401)');
    expect(error.flyStatus).toBe('[redacted]');
  });

  it('should keep the Fly status and request id and leave them out when absent', () => {
    const error = status({ status: 422, body: { error: 'x', status: 'name_taken' }, requestId: 'req-1' });
    expect(error.flyStatus).toBe('name_taken');
    expect(error.requestId).toBe('req-1');
    const bare = status({ status: 422, body: { error: 'x', status: '' } });
    expect(bare.flyStatus).toBeUndefined();
    expect(bare.requestId).toBeUndefined();
  });

  it('should round Retry-After up to whole seconds and leave it out when absent', () => {
    expect(status({ status: 429, retryAfterMs: 1 }).retryAfterSeconds).toBe(1);
    expect(status({ status: 429, retryAfterMs: 1000 }).retryAfterSeconds).toBe(1);
    expect(status({ status: 429, retryAfterMs: 1001 }).retryAfterSeconds).toBe(2);
    expect(status({ status: 429, retryAfterMs: 0 }).retryAfterSeconds).toBe(0);
    expect(status({ status: 429 }).retryAfterSeconds).toBeUndefined();
  });
});

describe('classifyTransportError', () => {
  it.each([
    ['ECONNREFUSED', 'connect'],
    ['ENOTFOUND', 'connect'],
    ['EAI_AGAIN', 'connect'],
    ['EHOSTUNREACH', 'connect'],
    ['ENETUNREACH', 'connect'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['ECONNABORTED', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_CLOSED', 'reset'],
    ['EWHATEVER', 'other'],
  ])('should classify %s as %s', (code, transport) => {
    expect(classifyTransportError(socketError(code))).toEqual({ kind: 'transport', transport });
  });

  it('should classify errors without a string code as other', () => {
    expect(classifyTransportError(new Error('boom'))).toEqual({ kind: 'transport', transport: 'other' });
    expect(classifyTransportError(null)).toEqual({ kind: 'transport', transport: 'other' });
    expect(classifyTransportError(undefined)).toEqual({ kind: 'transport', transport: 'other' });
  });

  it("should classify undici's own error classes by their codes", () => {
    expect(classifyTransportError(new undiciErrors.ConnectTimeoutError())).toEqual({ kind: 'transport', transport: 'connect' });
    expect(classifyTransportError(new undiciErrors.HeadersTimeoutError())).toEqual({ kind: 'transport', transport: 'timeout' });
    expect(classifyTransportError(new undiciErrors.BodyTimeoutError())).toEqual({ kind: 'transport', transport: 'timeout' });
    expect(classifyTransportError(new undiciErrors.SocketError('closed'))).toEqual({ kind: 'transport', transport: 'reset' });
  });

  it('should classify an AggregateError from a multi-address connect by the code Node puts on it', () => {
    const aggregate = Object.assign(new AggregateError([socketError('ECONNREFUSED'), socketError('ECONNREFUSED')]), {
      code: 'ECONNREFUSED',
    });
    expect(classifyTransportError(aggregate)).toEqual({ kind: 'transport', transport: 'connect' });
  });
});

describe('transportError', () => {
  const cause = new Error('cause');
  function mapped(method: string, transport: 'connect' | 'reset' | 'timeout' | 'other', aborted?: 'deadline' | 'caller') {
    return transportError({
      operation: 'machines.start',
      method,
      failure: { kind: 'transport', transport },
      aborted,
      deadlineMs: 1234,
      cause,
    });
  }

  it('should call a connect failure on a mutation UPSTREAM_UNAVAILABLE because nothing reached Fly', () => {
    const error = mapped('POST', 'connect');
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toBe('machines.start failed: could not connect to the Fly API');
    expect(error.cause).toBe(cause);
    expect(error.operation).toBe('machines.start');
  });

  it.each(['reset', 'other'] as const)('should call a %s failure on a mutation OUTCOME_UNKNOWN', (transport) => {
    const error = mapped('DELETE', transport);
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.message).toBe('machines.start failed: the connection failed mid-request; the change may or may not have been applied');
  });

  it('should call a timed-out mutation OUTCOME_UNKNOWN and name the deadline', () => {
    for (const [transport, aborted] of [
      ['timeout', undefined],
      ['other', 'deadline'],
      ['connect', 'deadline'],
      ['reset', 'caller'],
    ] as const) {
      const error = mapped('POST', transport, aborted);
      expect(error.code).toBe('OUTCOME_UNKNOWN');
      expect(error.message).toBe('machines.start failed: no response within 1234 ms; the change may or may not have been applied');
    }
  });

  it('should call a failed GET UPSTREAM_UNAVAILABLE and say whether it connected', () => {
    expect(mapped('GET', 'connect').message).toBe('machines.start failed: could not connect to the Fly API');
    for (const transport of ['reset', 'other'] as const) {
      const error = mapped('GET', transport);
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.message).toBe('machines.start failed: the connection to the Fly API failed');
    }
  });

  it('should call a timed-out GET DEADLINE_EXCEEDED and tell the deadline from the caller', () => {
    expect(mapped('GET', 'timeout').code).toBe('DEADLINE_EXCEEDED');
    expect(mapped('GET', 'timeout').message).toBe('machines.start failed: no response within 1234 ms');
    expect(mapped('HEAD', 'other', 'deadline').message).toBe('machines.start failed: no response within 1234 ms');
    const byCaller = mapped('GET', 'other', 'caller');
    expect(byCaller.code).toBe('DEADLINE_EXCEEDED');
    expect(byCaller.message).toBe('machines.start failed: the call was aborted by the caller');
  });
});

describe('notStartedError', () => {
  it('should say who stopped a call that never started', () => {
    const deadline = notStartedError('apps.list', 'deadline', 500);
    expect(deadline).toMatchObject({
      code: 'DEADLINE_EXCEEDED',
      operation: 'apps.list',
      message: 'apps.list failed: no response within 500 ms',
    });
    expect(deadline.cause).toBeUndefined();
    expect(notStartedError('apps.list', 'caller', 500).message).toBe('apps.list failed: the call was aborted by the caller');
  });
});

describe('safeCause', () => {
  it('should copy name, code and a redacted, bounded message only', () => {
    const original = Object.assign(new TypeError(`reset   while\nsending SECRET ${'z'.repeat(400)}`), {
      code: 'ECONNRESET',
      request: { headers: 'SECRET' },
    });
    const copy = safeCause(original, (text) => text.replaceAll('SECRET', '[redacted]'));
    expect(copy).not.toBe(original);
    expect(copy.name).toBe('TypeError');
    expect((copy as Error & { code?: string }).code).toBe('ECONNRESET');
    expect(copy.message.startsWith('reset while sending [redacted] zzz')).toBe(true);
    expect(copy.message).toHaveLength(301);
    expect(Object.keys(copy).sort()).toEqual(['code', 'name']);
  });

  it('should fall back to a generic name and message when the thrown value is not an error', () => {
    for (const thrown of [null, undefined, 'a string', { message: 42, name: 7, code: 9 }]) {
      const copy = safeCause(thrown, noRedact);
      expect(copy.name).toBe('Error');
      expect(copy.message).toBe('unknown error');
      expect('code' in copy).toBe(false);
    }
  });
});

describe('connection failures through the client', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  const MACHINE = '/v1/apps/my-app/machines/m1';

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    'should report UPSTREAM_UNAVAILABLE, not OUTCOME_UNKNOWN, when a POST fails with %s before reaching Fly',
    async (code) => {
      h = createHarness({ rateLimit: false });
      h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).replyWithError(socketError(code));
      const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe('machines.start failed: could not connect to the Fly API');
      expect(h.calls).toHaveLength(1);
    },
  );

  it('should report OUTCOME_UNKNOWN when a POST connection resets mid-request', async () => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: `${MACHINE}/start`, method: 'POST' }).replyWithError(socketError('ECONNRESET'));
    const error = (await rejectionOf(h.client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('OUTCOME_UNKNOWN');
  });
});

describe('connection failures through real undici (loopback only)', () => {
  it('should report UPSTREAM_UNAVAILABLE for a POST when the host does not resolve (the lookup is faked, no DNS is done)', async () => {
    const notFound = (hostname: string, _options: unknown, callback: (error: Error) => void) => {
      process.nextTick(() =>
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname })),
      );
    };
    const dispatcher = new Agent({ connect: { lookup: notFound as never } });
    const { client } = createHarness({ rateLimit: false, dispatcher, baseUrl: 'http://fly.invalid' });
    try {
      const error = (await rejectionOf(client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect((error.cause as Error & { code?: string }).code).toBe('ENOTFOUND');
    } finally {
      await dispatcher.close();
    }
  });

  it('should report UPSTREAM_UNAVAILABLE for a POST when every address of the host refuses (AggregateError)', async () => {
    const port = await closedPort();
    const twoAddresses = (_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      const all = [
        { address: '127.0.0.1', family: 4 },
        { address: '127.0.0.2', family: 4 },
      ];
      process.nextTick(() => (options.all ? callback(null, all) : callback(null, all[0]!.address, 4)));
    };
    const dispatcher = new Agent({ connect: { lookup: twoAddresses as never, autoSelectFamily: true } });
    const { client } = createHarness({ rateLimit: false, dispatcher, baseUrl: `http://fly.invalid:${port}` });
    try {
      const error = (await rejectionOf(client.machines.start({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
      expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
      expect((error.cause as Error & { code?: string }).code).toBe('ECONNREFUSED');
    } finally {
      await dispatcher.close();
    }
  });
});

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
