import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildConfig, startHarness, type Harness } from './harness.js';

describe('emulator metadata', () => {
  let h: Harness;
  let base: string;
  beforeEach(async () => {
    h = await startHarness();
    h.emu.control.createApp('app-one');
    const id = h.emu.control.createMachine('app-one', {
      state: 'started',
      config: buildConfig({ metadata: { role: 'web', tier: 'a' } }),
    }).id;
    base = `/apps/app-one/machines/${id}/metadata`;
  });
  afterEach(() => h.close());

  it('should read all keys and one key, and 404 for a missing key', async () => {
    expect((await h.json('GET', base)).body).toEqual({ role: 'web', tier: 'a' });
    expect((await h.json('GET', `${base}/role`)).body).toEqual({ value: 'web' });
    expect((await h.call('GET', `${base}/nope`)).status).toBe(404);
  });

  it('should upsert and delete single keys with 204 and 404 on a missing delete', async () => {
    expect((await h.call('POST', `${base}/zone`, { value: 'z1' })).status).toBe(204);
    expect((await h.json('GET', `${base}/zone`)).body.value).toBe('z1');
    expect((await h.call('DELETE', `${base}/zone`)).status).toBe(204);
    expect((await h.call('DELETE', `${base}/zone`)).status).toBe(404);
  });

  it('should merge with PATCH and PUT, deleting keys set to null or empty', async () => {
    expect((await h.call('PATCH', base, { metadata: { role: null, new: 'x' } })).status).toBe(204);
    expect((await h.call('PUT', base, { metadata: { tier: '', other: 'y' } })).status).toBe(204);
    expect((await h.json('GET', base)).body).toEqual({ new: 'x', other: 'y' });
  });

  it('should answer 412 when machine_version is stale', async () => {
    const res = await h.json('PATCH', base, { metadata: { a: 'b' }, machine_version: '01ARZ3NDEKTSV4RRFFQ69G5FAV' });
    expect(res.status).toBe(412);
    expect((await h.json('GET', base)).body).toEqual({ role: 'web', tier: 'a' });
  });

  it('should make metadata changes visible in the config and list filters', async () => {
    await h.call('POST', `${base}/canary`, { value: 'yes' });
    const listed = (await h.json('GET', '/apps/app-one/machines?metadata.canary=yes')).body;
    expect(listed).toHaveLength(1);
    expect(listed[0].config.metadata.canary).toBe('yes');
  });

  it('should treat Object.prototype names as ordinary keys when reading, writing and deleting', async () => {
    expect((await h.call('GET', `${base}/constructor`)).status).toBe(404);
    expect((await h.call('DELETE', `${base}/toString`)).status).toBe(404);
    expect((await h.call('POST', `${base}/__proto__`, { value: 'p' })).status).toBe(204);
    expect((await h.call('PATCH', base, { metadata: { constructor: 'c' } })).status).toBe(204);
    expect((await h.json('GET', `${base}/__proto__`)).body).toEqual({ value: 'p' });
    expect((await h.json('GET', base)).body).toEqual({ role: 'web', tier: 'a', ['__proto__']: 'p', constructor: 'c' });
    expect((await h.call('DELETE', `${base}/__proto__`)).status).toBe(204);
    expect((await h.call('GET', `${base}/__proto__`)).status).toBe(404);
  });
});
