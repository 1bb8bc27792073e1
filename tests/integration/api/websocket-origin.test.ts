import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestGateway, type TestGateway } from '../events/harness.js';

let prod: TestGateway;
beforeAll(async () => {
  prod = await startTestGateway({ env: { APP_ENV: 'production', CORS_ORIGINS: 'https://console.example.com' } });
});
afterAll(async () => {
  await prod?.close();
});

/** Opens a graphql-ws socket sending `origin` (or none) and resolves with the upgrade's outcome. */
function upgrade(url: string, origin?: string): Promise<{ opened: true } | { opened: false; status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve({ opened: true });
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve({ opened: false, status: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => {
      if (!String(error).includes('Unexpected server response')) reject(error);
    });
  });
}

describe('WebSocket upgrades follow the CORS origins', () => {
  it('should refuse the upgrade with 403 when a browser sends a foreign Origin', async () => {
    expect(await upgrade(prod.wsUrl, 'https://evil.example')).toEqual({ opened: false, status: 403 });
    expect(await upgrade(prod.wsUrl, 'null')).toEqual({ opened: false, status: 403 });
    expect(prod.gateway.subscriberCount()).toBe(0);
  });

  it('should accept the upgrade when the Origin is listed or when no Origin is sent (not a browser)', async () => {
    expect(await upgrade(prod.wsUrl, 'https://console.example.com')).toEqual({ opened: true });
    expect(await upgrade(prod.wsUrl)).toEqual({ opened: true });
  });

  it('should run an operation over graphql-ws when the page origin is listed', async () => {
    class ConsoleSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { origin: 'https://console.example.com' });
      }
    }
    const client = createClient({ url: prod.wsUrl, webSocketImpl: ConsoleSocket, retryAttempts: 0 });
    try {
      const result = await new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query: '{ regions { code } }' }, { next: resolve, error: reject, complete: () => undefined });
      });
      expect((result as { data?: { regions: unknown[] } }).data?.regions.length).toBeGreaterThan(0);
    } finally {
      await client.dispose();
    }
  });
});
