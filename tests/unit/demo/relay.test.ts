import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDemoRelay } from '#src/demo/relay.js';
import type { EmulatorChange } from '#src/emulator/emulator.js';
import { systemClock } from '#src/lib/clock.js';
import { silentLogger } from '#src/lib/logger.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** A loopback endpoint that answers `statuses` in turn (then 204) and records what it was sent. */
async function endpoint(statuses: number[]): Promise<{ url: string; seen: Array<{ id: string; body: string }>; server: Server }> {
  const seen: Array<{ id: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ id: String(req.headers['webhook-id']), body });
      res.writeHead(statuses.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/fly`, seen, server };
}

function changeSource() {
  let listener: ((change: EmulatorChange) => void) | undefined;
  return {
    onChange(l: (change: EmulatorChange) => void) {
      listener = l;
      return () => (listener = undefined);
    },
    emit: (change: EmulatorChange) => listener?.(change),
  };
}

const change = (n: number) =>
  ({ type: 'machine.state_changed', timestamp: new Date(n).toISOString(), data: { n } }) as unknown as EmulatorChange;

let server: Server | undefined;

/** A relay in front of an endpoint answering `statuses`; `settle(n)` waits until `n` changes were accepted, then stops it. */
async function relayTo(statuses: number[]) {
  const target = await endpoint(statuses);
  server = target.server;
  const source = changeSource();
  const delivered: EmulatorChange[] = [];
  const relay = createDemoRelay({
    source,
    url: target.url,
    secret: SECRET,
    clock: systemClock,
    logger: silentLogger,
    maxBackoffMs: 5,
    onDelivered: (c) => delivered.push(c),
  });
  const settle = async (n: number) => {
    for (let i = 0; i < 400 && delivered.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    await relay.stop();
  };
  return { target, source, delivered, settle };
}
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe('demo relay', () => {
  it('should keep a change until the gateway takes it, retrying far past a few 503s with the same webhook id', async () => {
    const { target, source, delivered, settle } = await relayTo(Array(10).fill(503));
    source.emit(change(1));
    source.emit(change(2));
    await settle(2);
    expect(delivered).toEqual([change(1), change(2)]);
    // Eleven tries of the first change under one id, then the second change once, in order.
    const firstId = target.seen[0].id;
    expect(target.seen.slice(0, 11).every((s) => s.id === firstId)).toBe(true);
    expect(target.seen).toHaveLength(12);
    expect(JSON.parse(target.seen[11].body)).toEqual(JSON.parse(JSON.stringify(change(2))));
  });

  it('should drop a change the gateway refuses for good (4xx) and go on with the next', async () => {
    const { target, source, delivered, settle } = await relayTo([400]);
    source.emit(change(1));
    source.emit(change(2));
    await settle(1);
    expect(delivered).toEqual([change(2)]);
    expect(target.seen).toHaveLength(2);
  });
});
