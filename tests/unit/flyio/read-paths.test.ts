import { afterEach, describe, expect, it } from 'vitest';
import { FlyApiError } from '#src/flyio/errors.js';
import { buildApp, buildMachine, createHarness, type Harness } from './helpers.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('fly client read paths', () => {
  let h: Harness;
  afterEach(async () => {
    await h.agent.close();
  });

  it('should list apps with org_slug and return the next cursor when Fly returns next_cursor', async () => {
    h = createHarness();
    let seenPath = '';
    h.pool.intercept({ path: (p) => p.startsWith('/v1/apps?'), method: 'GET' }).reply((opts) => {
      seenPath = opts.path;
      return {
        statusCode: 200,
        data: { apps: [buildApp()], total_apps: 2, next_cursor: 'c2' },
        responseOptions: { headers: JSON_HEADERS },
      };
    });
    const page = await h.client.apps.list({ org: 'personal', limit: 1 });
    expect(seenPath).toBe('/v1/apps?org_slug=personal&limit=1');
    expect(page.items.map((a) => a.name)).toEqual(['my-app']);
    expect(page.nextCursor).toBe('c2');
    expect(page.totalCount).toBe(2);
  });

  it('should follow next_cursor to the end when listAll is called on apps', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: '/v1/apps?org_slug=personal', method: 'GET' })
      .reply(200, { apps: [buildApp({ name: 'a' })], next_cursor: 'c2' });
    h.pool
      .intercept({ path: '/v1/apps?org_slug=personal&cursor=c2', method: 'GET' })
      .reply(200, { apps: [buildApp({ name: 'b' })], next_cursor: '' });
    const apps = await h.client.apps.listAll({ org: 'personal' });
    expect(apps.map((a) => a.name)).toEqual(['a', 'b']);
  });

  it('should get an app by name when it exists', async () => {
    h = createHarness();
    h.pool.intercept({ path: '/v1/apps/my-app', method: 'GET' }).reply(200, buildApp());
    const app = await h.client.apps.get('my-app');
    expect(app.organization?.slug).toBe('personal');
  });

  it('should send every list filter and read fly-next-cursor when listing machines', async () => {
    h = createHarness();
    let seenPath = '';
    h.pool.intercept({ path: (p) => p.startsWith('/v1/apps/my-app/machines?'), method: 'GET' }).reply((opts) => {
      seenPath = opts.path;
      return { statusCode: 200, data: [buildMachine()], responseOptions: { headers: { 'fly-next-cursor': 'next-1' } } };
    });
    const page = await h.client.machines.list({
      app: 'my-app',
      state: ['started', 'stopped'],
      region: 'ams',
      metadata: { role: 'web' },
      includeDeleted: true,
      includeLeases: true,
      summary: true,
      limit: 10,
      cursor: 'c1',
    });
    const params = new URL(`http://x${seenPath}`).searchParams;
    expect(params.get('state')).toBe('started,stopped');
    expect(params.get('region')).toBe('ams');
    expect(params.get('metadata.role')).toBe('web');
    expect(params.get('include_deleted')).toBe('true');
    expect(params.get('include_leases')).toBe('true');
    expect(params.get('summary')).toBe('true');
    expect(params.get('limit')).toBe('10');
    expect(params.get('cursor')).toBe('c1');
    expect(page.nextCursor).toBe('next-1');
    expect(page.items[0].id).toBe('1857156b526dd8');
  });

  it('should follow fly-next-cursor until it is absent when listAll is called on machines', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: '/v1/apps/my-app/machines', method: 'GET' })
      .reply(200, [buildMachine({ id: 'm1' })], { headers: { 'fly-next-cursor': 'p2' } });
    h.pool.intercept({ path: '/v1/apps/my-app/machines?cursor=p2', method: 'GET' }).reply(200, [buildMachine({ id: 'm2' })]);
    const machines = await h.client.machines.listAll({ app: 'my-app' });
    expect(machines.map((m) => m.id)).toEqual(['m1', 'm2']);
  });

  it('should pass version and include_leases when getting a machine', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: '/v1/apps/my-app/machines/m1?version=v9&include_leases=true', method: 'GET' })
      .reply(200, buildMachine({ id: 'm1', lease: { owner: 'me@example.com', expires_at: 1 } }));
    const machine = await h.client.machines.get({ app: 'my-app', machineId: 'm1', version: 'v9', includeLeases: true });
    expect(machine.lease?.owner).toBe('me@example.com');
  });

  it('should encode path segments when ids contain reserved characters', async () => {
    h = createHarness();
    h.pool.intercept({ path: '/v1/apps/a%2Fb/machines/m%3F1', method: 'GET' }).reply(200, buildMachine({ id: 'm?1' }));
    const machine = await h.client.machines.get({ app: 'a/b', machineId: 'm?1' });
    expect(machine.id).toBe('m?1');
  });

  it('should return events with the limit sent when listing machine events', async () => {
    h = createHarness();
    h.pool
      .intercept({ path: '/v1/apps/my-app/machines/m1/events?limit=5', method: 'GET' })
      .reply(200, [{ id: 'e1', type: 'start', status: 'started', source: 'user', timestamp: 1767225600000, extra: 1 }]);
    const events = await h.client.machines.events({ app: 'my-app', machineId: 'm1', limit: 5 });
    expect(events).toEqual([{ id: 'e1', type: 'start', status: 'started', source: 'user', timestamp: 1767225600000, extra: 1 }]);
  });

  it('should reject locally with BAD_REQUEST when a required id is empty', async () => {
    h = createHarness();
    const error = await h.client.machines.get({ app: 'my-app', machineId: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlyApiError);
    expect((error as FlyApiError).code).toBe('BAD_REQUEST');
    expect(h.calls).toHaveLength(0);
  });

  it('should stop with INVALID_RESPONSE when Fly repeats a cursor during listAll', async () => {
    h = createHarness({ rateLimit: false });
    h.pool.intercept({ path: '/v1/apps/my-app/machines', method: 'GET' }).reply(200, [], { headers: { 'fly-next-cursor': 'same' } });
    h.pool
      .intercept({ path: '/v1/apps/my-app/machines?cursor=same', method: 'GET' })
      .reply(200, [], { headers: { 'fly-next-cursor': 'same' } })
      .times(2);
    const error = await h.client.machines.listAll({ app: 'my-app' }).catch((e: unknown) => e);
    expect((error as FlyApiError).code).toBe('INVALID_RESPONSE');
    expect(h.calls).toHaveLength(2);
  });
});
