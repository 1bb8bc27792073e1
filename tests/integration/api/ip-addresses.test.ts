import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// App.ipAddresses, allocateIpAddress and releaseIpAddress: each one declared Fly operation, with exact upstream counts,
// the cache (a write drops the app's address list), the emulator's refusals as typed errors, and access in every mode.

const LIST = `query($app: String!) { app(name: $app) { ipAddresses { address type region shared egress network serviceName createdAt } } }`;
const RESULT = `__typename ... on Error { code message retryable } ... on InvalidInputError { issues { field message } }`;
const ALLOCATE = `mutation($input: AllocateIpAddressInput!) {
  allocateIpAddress(input: $input) { ${RESULT} ... on AllocateIpAddressSuccess { ipAddress { address type region shared network serviceName } } }
}`;
const RELEASE = `mutation($app: String!, $ip: String!) { releaseIpAddress(input: { app: $app, ip: $ip }) { ${RESULT} ... on ReleaseIpAddressSuccess { address } } }`;

type Answer = { data: any; errors?: unknown[]; extensions: { upstreamCalls: { byOperation: Record<string, number> } } };

async function ask(built: BuiltTestGateway, query: string, variables: Record<string, unknown>, authorization?: string): Promise<Answer> {
  const response = await built.gateway.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
}

describe('IP addresses', () => {
  let built: BuiltTestGateway;
  const app = 'addressed';
  const allocate = (input: Record<string, unknown>) => ask(built, ALLOCATE, { input: { app, ...input } });

  beforeAll(async () => {
    built = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp(app);
  });
  afterAll(async () => built?.close());

  it('should list no addresses with one call, then from the cache', async () => {
    const first = await ask(built, LIST, { app });
    expect(first.data.app.ipAddresses).toEqual([]);
    expect(first.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 1, 'ips.list': 1 });
    expect((await ask(built, LIST, { app })).extensions.upstreamCalls.byOperation).toEqual({});
  });

  it('should allocate each kind with one call, telling its type from what Fly answers', async () => {
    const v4 = await allocate({ type: 'V4', region: 'iad' });
    expect(v4.extensions.upstreamCalls.byOperation).toEqual({ 'ips.create': 1 });
    expect(v4.data.allocateIpAddress.ipAddress).toMatchObject({
      type: 'V4',
      region: 'iad',
      shared: false,
      address: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
    });
    expect((await allocate({ type: 'V6' })).data.allocateIpAddress.ipAddress).toMatchObject({
      type: 'V6',
      address: expect.stringContaining(':'),
    });
    expect((await allocate({ type: 'SHARED_V4' })).data.allocateIpAddress.ipAddress).toMatchObject({
      type: 'SHARED_V4',
      shared: true,
      region: 'global',
    });
    const flycast = await allocate({ type: 'PRIVATE_V6', serviceName: 'internal-api' });
    expect(flycast.data.allocateIpAddress.ipAddress).toMatchObject({
      type: 'PRIVATE_V6',
      network: '',
      serviceName: 'internal-api',
      address: expect.stringMatching(/^fdaa:/),
    });
  });

  it('should drop the cached list on a write, so the next read shows every address (one call)', async () => {
    const list = await ask(built, LIST, { app });
    expect(list.extensions.upstreamCalls.byOperation).toEqual({ 'apps.get': 1, 'ips.list': 1 });
    expect(list.data.app.ipAddresses.map((ip: { type: string }) => ip.type)).toEqual(['V4', 'V6', 'SHARED_V4', 'PRIVATE_V6']);
  });

  it("should answer Fly's refusals as typed errors, and refuse a bad region or address before Fly is asked", async () => {
    const second = await allocate({ type: 'SHARED_V4' });
    expect(second.data.allocateIpAddress).toMatchObject({
      __typename: 'InvalidInputError',
      message: expect.stringContaining('shared IPv4'),
    });
    expect(second.extensions.upstreamCalls.byOperation).toEqual({ 'ips.create': 1 });
    const regional = await allocate({ type: 'SHARED_V4', region: 'iad' });
    expect(regional.data.allocateIpAddress).toMatchObject({ __typename: 'InvalidInputError', message: expect.stringContaining('global') });
    const unknown = await allocate({ type: 'V4', region: 'zzz' });
    expect(unknown.data.allocateIpAddress).toMatchObject({
      __typename: 'InvalidInputError',
      message: expect.stringContaining('unknown region'),
    });
    const badRegion = await allocate({ type: 'V4', region: 'Virginia' });
    expect(badRegion.data.allocateIpAddress).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.region' }] });
    expect(badRegion.extensions.upstreamCalls.byOperation).toEqual({});
    const badIp = await ask(built, RELEASE, { app, ip: 'not-an-ip' });
    expect(badIp.data.releaseIpAddress).toMatchObject({ __typename: 'InvalidInputError', issues: [{ field: 'input.ip' }] });
    expect(badIp.extensions.upstreamCalls.byOperation).toEqual({});
    const noApp = await ask(built, ALLOCATE, { input: { app: 'no-such-app', type: 'V6' } });
    expect(noApp.data.allocateIpAddress.__typename).toBe('NotFoundError');
  });

  it('should release an address with one call, and answer NotFoundError for one the app does not have', async () => {
    const [v4] = built.emu.control.listIps(app);
    const released = await ask(built, RELEASE, { app, ip: v4.ip });
    expect(released.extensions.upstreamCalls.byOperation).toEqual({ 'ips.delete': 1 });
    expect(released.data.releaseIpAddress).toEqual({ __typename: 'ReleaseIpAddressSuccess', address: v4.ip });
    expect((await ask(built, RELEASE, { app, ip: v4.ip })).data.releaseIpAddress.__typename).toBe('NotFoundError');
    const after = await ask(built, LIST, { app });
    expect(after.data.app.ipAddresses.map((ip: { address: string }) => ip.address)).not.toContain(v4.ip);
    expect(after.data.app.ipAddresses).toHaveLength(3);
  });

  it('should send an allocation once even when Fly fails (a retry could allocate a second address)', async () => {
    built.emu.faults.add({ route: 'ips.create', status: 503, times: 1 });
    built.emu.resetRequestCounts();
    const failed = await allocate({ type: 'V6' });
    expect(failed.data.allocateIpAddress.__typename).toBe('UpstreamUnavailableError');
    expect(built.emu.requestCounts()).toEqual({ 'ips.create': 1 });
    // A reset leaves the outcome unknown: still one send, and the answer says Fly may have allocated it.
    built.emu.faults.add({ route: 'ips.create', reset: true, times: 1 });
    built.emu.resetRequestCounts();
    const reset = await allocate({ type: 'V6' });
    expect(reset.data.allocateIpAddress).toMatchObject({ __typename: 'OutcomeUnknownError', retryable: false });
    expect(built.emu.requestCounts()).toEqual({ 'ips.create': 1 });
  });
});

describe('who may see and change IP addresses', () => {
  it('should let a read key list addresses but not allocate or release them (FORBIDDEN, nothing sent to Fly)', async () => {
    const reader = createKey('reader', new Set(['read']));
    const built = await buildTestGateway({ env: { AUTH_MODE: 'api-keys', API_KEYS: reader.entry } });
    try {
      built.emu.control.createApp('keyed');
      const ip = String(built.emu.control.allocateIp('keyed', { type: 'v6' }).ip);
      const auth = `Bearer ${reader.key}`;
      expect((await ask(built, LIST, { app: 'keyed' }, auth)).data.app.ipAddresses).toEqual([expect.objectContaining({ address: ip })]);
      built.emu.resetRequestCounts();
      expect((await ask(built, ALLOCATE, { input: { app: 'keyed', type: 'V6' } }, auth)).data.allocateIpAddress.__typename).toBe(
        'ForbiddenError',
      );
      expect((await ask(built, RELEASE, { app: 'keyed', ip }, auth)).data.releaseIpAddress.__typename).toBe('ForbiddenError');
      expect(built.emu.requestCounts()).toEqual({});
      expect(built.emu.control.listIps('keyed')).toHaveLength(1);
    } finally {
      await built.close();
    }
  });

  it("should keep another tenant's addresses out of reach in fly-token mode, and let the owner allocate", async () => {
    const TOKEN_A = 'emu_tenant_ips_a_0123456789abcdef';
    const TOKEN_B = 'emu_tenant_ips_b_0123456789abcdef';
    const emu = createEmulator({ seed: 'none', delays: INSTANT, scopedTokens: { [TOKEN_A]: ['ips-a'], [TOKEN_B]: ['ips-b'] } });
    await emu.start({ port: 0, host: '127.0.0.1' });
    const built = await buildTestGateway({ emulator: emu, env: { AUTH_MODE: 'fly-token', CACHE_RESPONSE_MAX_BYTES: '0' } });
    try {
      emu.control.createApp('ips-a');
      emu.control.createApp('ips-b');
      const ip = String(emu.control.allocateIp('ips-a', { type: 'v6' }).ip);
      expect((await ask(built, LIST, { app: 'ips-a' }, `Bearer ${TOKEN_A}`)).data.app.ipAddresses).toHaveLength(1);
      const stranger = await ask(built, LIST, { app: 'ips-a' }, `Bearer ${TOKEN_B}`);
      expect(stranger.data.app).toBeNull();
      expect(JSON.stringify(stranger)).not.toContain(ip);
      emu.resetRequestCounts();
      const release = await ask(built, RELEASE, { app: 'ips-a', ip }, `Bearer ${TOKEN_B}`);
      expect(['ForbiddenError', 'NotFoundError']).toContain(release.data.releaseIpAddress.__typename);
      const steal = await ask(built, ALLOCATE, { input: { app: 'ips-a', type: 'V4' } }, `Bearer ${TOKEN_B}`);
      expect(['ForbiddenError', 'NotFoundError']).toContain(steal.data.allocateIpAddress.__typename);
      expect(Object.keys(emu.requestCounts()).filter((route) => route.startsWith('ips.'))).toEqual([]);
      expect(emu.control.listIps('ips-a')).toHaveLength(1);
      const own = await ask(built, ALLOCATE, { input: { app: 'ips-b', type: 'SHARED_V4' } }, `Bearer ${TOKEN_B}`);
      expect(own.data.allocateIpAddress.__typename).toBe('AllocateIpAddressSuccess');
    } finally {
      await built.close();
      await emu.stop();
    }
  });
});
