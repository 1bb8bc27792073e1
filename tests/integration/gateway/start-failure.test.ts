import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config/load-config.js';
import { createGateway } from '#src/gateway.js';

describe('gateway start failure', () => {
  it('should reject and release what it had started when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const gateway = createGateway(loadConfig({ env: { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' } }));
      await expect(gateway.start()).rejects.toThrow(/EADDRINUSE/);
      // The embedded emulator was started first; it must not be left listening.
      const emulatorUrl = gateway.emulator!.url;
      const reachable = emulatorUrl
        ? await fetch(`${emulatorUrl}/v1/apps?org_slug=personal`).then(
            () => true,
            () => false,
          )
        : false;
      expect(reachable).toBe(false);
      await expect(gateway.start()).rejects.toThrow(/cannot start again/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
