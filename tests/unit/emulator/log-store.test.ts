import { describe, expect, it } from 'vitest';
import { createEmulator } from '#src/emulator/emulator.js';
import { createManualClock } from '#src/lib/clock.js';
import { INSTANT } from '../../helpers/test-gateway.js';

// The emulator's logs endpoint (api.fly.io's, outside the Machines API document): lines from the machines' lives,
// next_token, filters, retention and a made-up token refused, over HTTP as a client sees it.

describe('emulator logs', () => {
  const get = async (url: string, token: string, path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('should print lines when machines start and exit, and page after next_token with filters', async () => {
    const emu = createEmulator({ seed: 'none', delays: INSTANT });
    const url = await emu.start({ port: 0, host: '127.0.0.1' });
    try {
      emu.control.createApp('web');
      const machine = emu.control.createMachine('web', { config: { image: 'img:1' } });
      const first = await get(url, emu.token, '/api/v1/apps/web/logs');
      expect(first.status).toBe(200);
      const messages = first.body.data.map((d: any) => d.attributes.message);
      expect(messages).toContain('Machine started');
      expect(first.body.data[0].attributes).toMatchObject({ instance: machine.id, level: 'info', region: expect.any(String) });
      const token = first.body.meta.next_token;
      expect((await get(url, emu.token, `/api/v1/apps/web/logs?next_token=${token}`)).body).toMatchObject({
        data: [],
        meta: { next_token: token },
      });
      emu.logs.append({ app: 'web', instance: 'other', region: 'ams', level: 'warn', message: 'elsewhere' });
      emu.logs.append({ app: 'web', instance: machine.id, region: 'ams', level: 'info', message: 'here' });
      const filtered = await get(url, emu.token, `/api/v1/apps/web/logs?next_token=${token}&instance=${machine.id}`);
      expect(filtered.body.data.map((d: any) => d.attributes.message)).toEqual(['here']);
      const byRegion = await get(url, emu.token, `/api/v1/apps/web/logs?next_token=${token}&region=ams`);
      expect(byRegion.body.data).toHaveLength(2);
      expect((await get(url, emu.token, '/api/v1/apps/web/logs?next_token=garbage')).status).toBe(400);
      expect((await get(url, emu.token, '/api/v1/apps/web/logs?start_time=yesterday')).status).toBe(400);
      expect((await get(url, emu.token, '/api/v1/apps/nope/logs')).status).toBe(404);
      expect((await get(url, 'not-a-token', '/api/v1/apps/web/logs')).status).toBe(401);
    } finally {
      await emu.stop();
    }
  });

  it('should drop lines older than the retention and start at start_time', async () => {
    const clock = createManualClock();
    const emu = createEmulator({ seed: 'none', delays: INSTANT, clock });
    const url = await emu.start({ port: 0, host: '127.0.0.1' });
    try {
      emu.control.createApp('old');
      emu.logs.append({ app: 'old', instance: 'm', region: 'iad', level: 'info', message: 'ancient' });
      await clock.advance(8 * 24 * 3600_000);
      emu.logs.append({ app: 'old', instance: 'm', region: 'iad', level: 'info', message: 'recent' });
      const page = await get(url, emu.token, '/api/v1/apps/old/logs');
      expect(page.body.data.map((d: any) => d.attributes.message)).toEqual(['recent']);
      const since = new Date(clock.now() + 1).toISOString();
      expect((await get(url, emu.token, `/api/v1/apps/old/logs?start_time=${since}`)).body.data).toEqual([]);
    } finally {
      await emu.stop();
    }
  });
});
