import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { buildMachine, createHarness, rejectionOf, socketError, type Harness } from './helpers.js';

const SECRET = 'fm2_super-secret-macaroon-value';
const MACHINE = '/v1/apps/my-app/machines/m1';

describe('error mapping', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  async function failGet(status: number, body: unknown, headers: Record<string, string> = {}): Promise<FlyApiError> {
    h = createHarness({ rateLimit: false, retry: { maxAttempts: 1 } });
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(status, body as object, { headers });
    return (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
  }

  async function failPost(status: number, body: unknown): Promise<FlyApiError> {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: MACHINE, method: 'POST' }).reply(status, body as object);
    return (await rejectionOf(h.client.machines.update({ app: 'my-app', machineId: 'm1', config: {} }))) as FlyApiError;
  }

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'UNAUTHORIZED'],
    [404, 'NOT_FOUND'],
    [412, 'VERSION_CONFLICT'],
    [422, 'UNPROCESSABLE'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
  ])('should map HTTP %i to %s', async (status, code) => {
    const error = await failGet(status, { error: 'nope' });
    expect(error).toBeInstanceOf(FlyApiError);
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(status);
    expect(error.operation).toBe('machines.get');
  });

  it('should keep the HTTP status, Fly status field, request id and message when Fly explains a failure', async () => {
    const error = await failGet(422, { error: 'app name already taken', status: 'name_taken' }, { 'fly-request-id': 'req-123' });
    expect(error.code).toBe('UNPROCESSABLE');
    expect(error.flyStatus).toBe('name_taken');
    expect(error.requestId).toBe('req-123');
    expect(error.message).toContain('app name already taken');
    expect(error.message).toContain('HTTP 422');
  });

  it('should use the message field when the body has no error field', async () => {
    const error = await failGet(400, { message: 'bad region' });
    expect(error.message).toContain('bad region');
  });

  it('should bound the message length when Fly sends a huge error', async () => {
    const error = await failGet(400, { error: 'x'.repeat(10_000) });
    expect(error.message.length).toBeLessThan(400);
  });

  it('should map 409 to LEASE_HELD when the body is a lease error', async () => {
    const error = await failPost(409, { status: 'error', message: 'lease currently held by someone@example.com', code: 'invalid' });
    expect(error.code).toBe('LEASE_HELD');
    expect(error.flyStatus).toBe('error');
  });

  it('should map 409 to LEASE_HELD when the message mentions a nonce', async () => {
    const error = await failPost(409, { error: 'machine requires a valid nonce' });
    expect(error.code).toBe('LEASE_HELD');
  });

  it('should map 409 to VERSION_CONFLICT when the body is not about a lease', async () => {
    const error = await failPost(409, { error: 'current_version mismatch' });
    expect(error.code).toBe('VERSION_CONFLICT');
  });

  it('should map 502 on a mutation to OUTCOME_UNKNOWN because a proxy may have given up after Fly acted', async () => {
    const error = await failPost(502, 'Bad Gateway');
    expect(error.code).toBe('OUTCOME_UNKNOWN');
    expect(error.httpStatus).toBe(502);
  });

  it('should map a non-JSON error body to a generic message with the status', async () => {
    const error = await failGet(500, '<html>oops</html>');
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.message).toContain('HTTP 500');
  });

  it('should never expose the token in message, JSON or cause when Fly echoes it back', async () => {
    h = createHarness({ token: `Bearer ${SECRET}`, rateLimit: false, retry: { maxAttempts: 1 } });
    h.pool
      .intercept({ path: MACHINE, method: 'GET' })
      .reply(401, { error: `token ${SECRET} rejected`, status: SECRET }, { headers: { 'fly-request-id': `req-${SECRET}` } });
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('UNAUTHORIZED');
    const everything = [
      error.message,
      error.stack ?? '',
      JSON.stringify(error),
      String(error.flyStatus),
      String(error.requestId),
      String(error.cause),
    ].join('\n');
    expect(everything).not.toContain(SECRET);
    expect(error.message).toContain('[redacted]');
  });

  it('should never expose the token through a transport error cause', async () => {
    h = createHarness({ token: SECRET, rateLimit: false, retry: { maxAttempts: 1 } });
    h.pool
      .intercept({ path: MACHINE, method: 'GET' })
      .replyWithError(Object.assign(new Error(`reset while sending FlyV1 ${SECRET}`), { code: 'ECONNRESET' }));
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    const cause = error.cause as Error & { code?: string };
    expect(cause.code).toBe('ECONNRESET');
    expect(`${cause.message} ${JSON.stringify(error)} ${error.message}`).not.toContain(SECRET);
  });

  it('should map a socket error on a GET to UPSTREAM_UNAVAILABLE after retries', async () => {
    h = createHarness({ rateLimit: false, retry: { maxAttempts: 1 } });
    h.pool.intercept({ path: MACHINE, method: 'GET' }).replyWithError(socketError('ECONNREFUSED'));
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });
});

describe('response validation', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should keep unknown fields when Fly adds new ones', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: MACHINE, method: 'GET' })
      .reply(200, buildMachine({ id: 'm1', brand_new_field: { nested: true }, config: { image: 'x', future: 1 } }));
    const machine = (await h.client.machines.get({ app: 'my-app', machineId: 'm1' })) as Record<string, unknown>;
    expect(machine.brand_new_field).toEqual({ nested: true });
    expect((machine.config as Record<string, unknown>).future).toBe(1);
  });

  it('should throw INVALID_RESPONSE naming the failing path without dumping the body when the shape is wrong', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: MACHINE, method: 'GET' })
      .reply(200, buildMachine({ id: 'm1', events: [{ id: 'e1', type: 'start', timestamp: 'not-a-number-SENTINEL' }] }), {
        headers: { 'fly-request-id': 'req-bad' },
      });
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toContain('events.0.timestamp');
    expect(error.message).not.toContain('SENTINEL');
    expect(error.requestId).toBe('req-bad');
    expect(h.calls).toHaveLength(1);
  });

  it('should throw INVALID_RESPONSE when a success body is not JSON', async () => {
    h = createHarness();
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, 'definitely not json');
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/not JSON/);
  });

  it('should throw INVALID_RESPONSE when a body is required but empty', async () => {
    h = createHarness();
    h.pool.intercept({ path: MACHINE, method: 'GET' }).reply(200, '');
    const error = (await rejectionOf(h.client.machines.get({ app: 'my-app', machineId: 'm1' }))) as FlyApiError;
    expect(error.code).toBe('INVALID_RESPONSE');
    expect(error.message).toMatch(/empty/);
  });
});
