import { connect, createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createGateway } from '#src/gateway.js';

describe('createGateway', () => {
  it('should open no Redis connection when built but never started', async () => {
    // A plain TCP listener stands in for Redis: all the test needs is to see whether anyone dials it.
    const sockets: Socket[] = [];
    const fakeRedis = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => fakeRedis.listen(0, '127.0.0.1', resolve));
    const { port } = fakeRedis.address() as { port: number };
    const config = loadConfig({
      env: {
        FLY_API_TOKEN: 'fo1_not-a-real-token',
        REDIS_URL: `redis://127.0.0.1:${port}`,
        WEBHOOK_SECRET: '',
        LOG_LEVEL: 'silent',
        SYNC_ENABLED: 'false',
      },
    });

    const gateway = createGateway(config);
    // Instead of sleeping: dial once ourselves after any eager connect was issued. The listener accepts in arrival
    // order, so by the time our probe is accepted, an eager client's connection would have been accepted too.
    await new Promise((resolve) => setImmediate(resolve));
    const probe = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => probe.once('connect', () => resolve()));
    await new Promise<void>((resolve) => {
      const check = () => (sockets.some((s) => s.remotePort === probe.localPort) ? resolve() : setImmediate(check));
      check();
    });
    const dialled = sockets.filter((s) => s.remotePort !== probe.localPort).length;
    probe.destroy();
    await gateway.stop();

    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => fakeRedis.close(() => resolve()));
    expect(dialled).toBe(0);
  });
});
