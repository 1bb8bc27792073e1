import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmulator } from '#src/emulator/emulator.js';
import { startHarness, TOKEN, type Harness } from './harness.js';

describe('emulator HTTP basics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
  });
  afterEach(() => h.close());

  const withAuth = (value: string | undefined) =>
    fetch(`${h.emu.url}/v1/apps/app-one`, { headers: value === undefined ? {} : { authorization: value } });

  it.each([
    ['Bearer', `Bearer ${TOKEN}`],
    ['FlyV1', `FlyV1 ${TOKEN}`],
    ['nested Bearer FlyV1', `Bearer FlyV1 ${TOKEN}`],
    ['comma list', `FlyV1 fm2_other,${TOKEN}`],
    ['lower-case scheme', `bearer ${TOKEN}`],
  ])('should accept the token when sent as %s', async (_label, header) => {
    expect((await withAuth(header)).status).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['wrong', 'Bearer nope'],
    ['empty bearer', 'Bearer '],
  ])('should answer 401 with Fly body when the token is %s', async (_label, header) => {
    const res = await withAuth(header);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Authenticate: token validation error' });
  });

  it('should send a fly-request-id header on every response when answering', async () => {
    const ok = await withAuth(`Bearer ${TOKEN}`);
    const denied = await withAuth(undefined);
    const missing = await fetch(`${h.emu.url}/nothing`);
    for (const res of [ok, denied, missing]) expect(res.headers.get('fly-request-id')).toMatch(/\S+/);
    expect(ok.headers.get('fly-request-id')).not.toBe(denied.headers.get('fly-request-id'));
  });

  it('should answer 400 with an error body when the JSON body is malformed', async () => {
    const res = await h.json('POST', '/apps/app-one/machines', '{"config":');
    expect(res.status).toBe(400);
    expect(typeof res.body.error).toBe('string');
  });

  /** Sends raw request head bytes (fetch cannot produce a malformed target) and returns the whole answer. */
  const rawRequest = (head: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(new URL(h.emu.url).port), '127.0.0.1', () => socket.write(head));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });

  it('should answer 400 instead of 500 when the request target cannot be parsed', async () => {
    const answer = await rawRequest(
      `GET //[::1/v1/apps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('malformed request target');
  });

  it('should answer 413 and close the connection when the declared body is too large', async () => {
    const head = `POST /v1/apps/app-one/machines HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n{"config":`;
    const answer = await rawRequest(head);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect((await h.call('GET', '/apps/app-one')).status).toBe(200);
  });

  it('should answer 400 when a machine config has no image', async () => {
    const res = await h.json('POST', '/apps/app-one/machines', { config: {} });
    expect(res).toMatchObject({ status: 400, body: { error: 'config.image is required' } });
  });

  it.each([
    ['metadata is an array', { metadata: ['a'] }, 'config.metadata must be an object of string values'],
    ['a metadata value is a number', { metadata: { n: 5 } }, 'config.metadata must be an object of string values'],
    ['mounts is not an array', { mounts: 5 }, 'config.mounts must be an array of objects'],
    ['a mount is null', { mounts: [null] }, 'config.mounts must be an array of objects'],
    ['checks is a string', { checks: 'abc' }, 'config.checks must be an object'],
  ])('should answer 400 instead of crashing when %s', async (_label, overrides, error) => {
    const res = await h.json('POST', '/apps/app-one/machines', { config: { image: 'x:1', ...overrides } });
    expect(res).toMatchObject({ status: 400, body: { error } });
  });

  it('should answer 404 for unknown paths and 405 for a wrong method', async () => {
    expect((await h.call('GET', '/nothing/here')).status).toBe(404);
    expect((await h.call('PATCH', '/apps')).status).toBe(405);
  });

  it('should count requests per route id and reset the counts', async () => {
    await h.call('GET', '/apps/app-one/machines');
    await h.call('GET', '/apps/app-one/machines');
    await h.call('GET', '/apps/app-one');
    expect(h.emu.requestCounts()).toEqual({ 'machines.list': 2, 'apps.get': 1 });
    h.emu.resetRequestCounts();
    expect(h.emu.requestCounts()).toEqual({});
  });

  it('should keep two emulators in one process fully separate', async () => {
    const other = createEmulator({ token: 'other-token' });
    await other.start({ port: 0 });
    try {
      other.control.createApp('only-there');
      expect(h.emu.url).not.toBe(other.url);
      expect((await h.call('GET', '/apps/only-there')).status).toBe(404);
      const res = await fetch(`${other.url}/v1/apps/only-there`, { headers: { authorization: 'Bearer other-token' } });
      expect(res.status).toBe(200);
      expect((await fetch(`${other.url}/v1/apps/only-there`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(401);
    } finally {
      await other.stop();
    }
  });

  it('should answer a minimal GraphQL query at /graphql', async () => {
    const res = await fetch(`${h.emu.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query($s: String!) { organization(slug: $s) { slug type } platform { regions { code } } }',
        variables: { s: 'personal' },
      }),
    });
    const body = await res.json();
    expect(body.data.organization).toEqual({ slug: 'personal', type: 'PERSONAL' });
    expect(body.data.platform.regions.length).toBeGreaterThan(5);
  });
});
