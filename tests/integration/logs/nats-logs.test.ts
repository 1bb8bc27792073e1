import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import type { Gateway } from '#src/gateway.js';
import { buildTestGateway, INSTANT } from '../../helpers/test-gateway.js';
import { connect } from 'node:net';
import { freePort } from '../../helpers/redis-server.js';
import { subscribeWs, type Delivery, type TestSubscriber } from '../events/harness.js';

// Following Fly's NATS log stream instead of polling: the emulator publishes its lines to a real nats-server (the
// shared one on 127.0.0.1:4222, or one of this file's own that it kills), the gateway follows it, and polls Fly's
// logs endpoint whenever NATS cannot be reached.

const LOGS = `subscription($app: String!) { logs(app: $app) { kind seq line { message machineId region level } } }`;
const SHARED_NATS = 'nats://127.0.0.1:4222';
type LogItem = Delivery & { line?: { message: string } | null };

async function messages(subscriber: TestSubscriber, prefix: string, count: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) {
    const item = (await subscriber.next(15_000)) as LogItem;
    if (item.line?.message.startsWith(prefix)) out.push(item.line.message);
  }
  return out;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const holding = (gateway: Gateway) => gateway.logs.status().some((s) => s.polling);
const series = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const open: TestSubscriber[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** Whether something accepts connections on the port (nats-server greets with INFO). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('INFO'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** `nats-server` on PATH, else Debian's place for it. */
const NATS_BIN = spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0 ? 'nats-server' : '/usr/sbin/nats-server';

/** A nats-server of this file's own on a free port (killed by a test). */
async function startNats(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

describe('live logs over NATS', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT, natsUrl: SHARED_NATS });
    await emu.start({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => emu?.stop());

  it("should follow Fly's NATS subjects and never poll the logs endpoint while NATS answers", async () => {
    const app = `nats-${randomUUID().slice(0, 8)}`;
    emu.control.createApp(app);
    const built = await buildTestGateway({ emulator: emu, listen: true, env: { LOGS_NATS_URL: SHARED_NATS } });
    try {
      emu.resetRequestCounts();
      const subscriber = subscribeWs(built.url.replace(/^http/, 'ws'), LOGS, { app });
      open.push(subscriber);
      await until(() => holding(built.gateway));
      for (let i = 1; i <= 20; i++) emu.logs.append({ app, instance: 'm1', region: 'ams', level: 'info', message: `n-${i}` });
      expect(await messages(subscriber, 'n-', 20)).toEqual(series('n-', 20));
      expect(emu.requestCounts()['logs.list'] ?? 0).toBe(0);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await built.close();
    }
  });

  it('should poll the logs endpoint when NATS cannot be reached', async () => {
    const app = `nonats-${randomUUID().slice(0, 8)}`;
    emu.control.createApp(app);
    const built = await buildTestGateway({ emulator: emu, listen: true, env: { LOGS_NATS_URL: `nats://127.0.0.1:${await freePort()}` } });
    try {
      emu.resetRequestCounts();
      const subscriber = subscribeWs(built.url.replace(/^http/, 'ws'), LOGS, { app });
      open.push(subscriber);
      await until(() => holding(built.gateway));
      for (let i = 1; i <= 5; i++) emu.logs.append({ app, instance: 'm1', region: 'ams', level: 'info', message: `p-${i}` });
      expect(await messages(subscriber, 'p-', 5)).toEqual(series('p-', 5));
      expect(emu.requestCounts()['logs.list'] ?? 0).toBeGreaterThan(0);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await built.close();
    }
  });

  it('should fall back to polling when the NATS server goes away, and deliver what follows', async () => {
    const nats = await startNats();
    const own = createEmulator({ seed: 'none', delays: INSTANT, natsUrl: nats.url });
    await own.start({ port: 0, host: '127.0.0.1' });
    const app = `lost-${randomUUID().slice(0, 8)}`;
    own.control.createApp(app);
    const built = await buildTestGateway({ emulator: own, listen: true, env: { LOGS_NATS_URL: nats.url } });
    try {
      const subscriber = subscribeWs(built.url.replace(/^http/, 'ws'), LOGS, { app });
      open.push(subscriber);
      await until(() => holding(built.gateway));
      own.logs.append({ app, instance: 'm1', region: 'ams', level: 'info', message: 'before-1' });
      expect(await messages(subscriber, 'before-', 1)).toEqual(['before-1']);
      expect(own.requestCounts()['logs.list'] ?? 0).toBe(0);
      await nats.stop();
      // Once the loss is noticed the holder polls from then on.
      await until(() => (own.requestCounts()['logs.list'] ?? 0) > 0);
      for (let i = 1; i <= 5; i++) own.logs.append({ app, instance: 'm1', region: 'ams', level: 'info', message: `after-${i}` });
      expect(await messages(subscriber, 'after-', 5)).toEqual(series('after-', 5));
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await built.close();
      await own.stop().catch(() => undefined);
      await nats.stop().catch(() => undefined);
    }
  });
});
