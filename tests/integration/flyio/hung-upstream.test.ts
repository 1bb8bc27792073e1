/**
 * A real socket that never answers: the client's own Agent must end each call at its deadline and destroy the
 * connection, so many hangs do not pile up open sockets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlyClient } from '#src/flyio/client.js';
import { FlyApiError } from '#src/flyio/errors.js';

describe('fly client against a hanging upstream', () => {
  let server: Server;
  let baseUrl: string;
  let received = 0;

  beforeAll(async () => {
    server = createServer(() => {
      received += 1; // never respond
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function openConnections(): Promise<number> {
    return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
  }

  /** The server learns of destroyed sockets asynchronously: poll a bounded number of event-loop turns. */
  async function settledConnections(): Promise<number> {
    let previous = -1;
    let open = await openConnections();
    for (let turn = 0; turn < 200 && open !== previous; turn++) {
      previous = open;
      for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
      open = await openConnections();
    }
    return open;
  }

  it('should fail each hung call within its deadline and keep open sockets bounded after 200 hangs', async () => {
    const client = createFlyClient({ baseUrl, token: 'tok', deadlineMs: 100, rateLimit: false });
    const started = Date.now();
    const errors: unknown[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const calls = Array.from({ length: 20 }, (_, i) =>
        client.machines.get({ app: 'a', machineId: `m${batch}-${i}` }).catch((e: unknown) => e),
      );
      errors.push(...(await Promise.all(calls)));
    }
    const elapsed = Date.now() - started;
    expect(errors.every((e) => e instanceof FlyApiError && e.code === 'DEADLINE_EXCEEDED')).toBe(true);
    // Some requests may be cut before the server even parses them; none may be answered or retried.
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThanOrEqual(200);
    // Ten sequential batches of 100 ms deadlines: far from undici's 300 s defaults.
    expect(elapsed).toBeLessThan(5000);
    // Sockets whose request was cut before it was written stay pooled for reuse; the pool cap (64) bounds them.
    expect(await settledConnections()).toBeLessThanOrEqual(64);
    await client.close();
    expect(await settledConnections()).toBe(0);
  });
});
