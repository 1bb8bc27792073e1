import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestGateway, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// The logs query pages through Fly's logs endpoint (the emulator's, here) with exact upstream counts: Fly's pages
// hold 100 lines, and the gateway's cursor can stop inside one.

const HISTORY = `query($app: String!, $first: Int, $after: String, $machineId: String, $level: String, $since: DateTime) {
  logs(app: $app, first: $first, after: $after, machineId: $machineId, level: $level, since: $since) {
    lines { id message machineId region level timestamp } endCursor hasNextPage
  }
}`;

describe('logs history', () => {
  let built: BuiltTestGateway;
  const ask = async (variables: Record<string, unknown>) => {
    const response = await built.gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: HISTORY, variables }),
    });
    return (await response.json()) as {
      data: any;
      errors?: { extensions: { code: string } }[];
      extensions: { upstreamCalls: { byOperation: Record<string, number> } };
    };
  };

  beforeAll(async () => {
    // The emulator serves the platform API (logs) too.
    built = await buildTestGateway({ env: { CACHE_RESPONSE_MAX_BYTES: '0' } });
    built.emu.control.createApp('hist');
    for (let i = 1; i <= 250; i++) {
      built.emu.logs.append({
        app: 'hist',
        instance: i % 5 === 0 ? 'm5' : 'm1',
        region: 'iad',
        level: i % 10 === 0 ? 'error' : 'info',
        message: `line ${i}`,
      });
    }
  });
  afterAll(async () => built?.close());

  it('should page through every line once, in order, with one Fly call per Fly page read', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const calls: number[] = [];
    for (;;) {
      const page = await ask({ app: 'hist', first: 100, after });
      expect(page.errors).toBeUndefined();
      calls.push(page.extensions.upstreamCalls.byOperation['logs.list'] ?? 0);
      seen.push(...page.data.logs.lines.map((l: { message: string }) => l.message));
      after = page.data.logs.endCursor;
      if (!page.data.logs.hasNextPage) break;
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i + 1}`));
    // Two full pages of 100 (a call each), then 50 lines and an empty answer that says there is no more.
    expect(calls).toEqual([1, 1, 2]);
    // Later, the same cursor reads what was printed since.
    built.emu.logs.append({ app: 'hist', instance: 'm1', region: 'iad', level: 'info', message: 'line 251' });
    const later = await ask({ app: 'hist', first: 10, after });
    expect(later.data.logs.lines.map((l: { message: string }) => l.message)).toEqual(['line 251']);
  });

  it('should stop inside a Fly page and resume there when first is smaller than the page', async () => {
    const a = await ask({ app: 'hist', first: 30 });
    expect(a.data.logs.lines.map((l: { message: string }) => l.message)).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
    expect(a.data.logs.hasNextPage).toBe(true);
    expect(a.extensions.upstreamCalls.byOperation['logs.list']).toBe(1);
    const b = await ask({ app: 'hist', first: 80, after: a.data.logs.endCursor });
    expect(b.data.logs.lines.map((l: { message: string }) => l.message)).toEqual(Array.from({ length: 80 }, (_, i) => `line ${i + 31}`));
    // The rest of the first Fly page (70 lines), then 10 of the second.
    expect(b.extensions.upstreamCalls.byOperation['logs.list']).toBe(2);
  });

  it('should filter by machine and level', async () => {
    const m5 = await ask({ app: 'hist', first: 500, machineId: 'm5' });
    expect(m5.data.logs.lines).toHaveLength(50);
    expect(m5.data.logs.lines.every((l: { machineId: string }) => l.machineId === 'm5')).toBe(true);
    const errors = await ask({ app: 'hist', first: 500, level: 'error' });
    expect(errors.data.logs.lines.map((l: { message: string }) => l.message).slice(0, 3)).toEqual(['line 10', 'line 20', 'line 30']);
    expect(errors.data.logs.lines.every((l: { level: string }) => l.level === 'error')).toBe(true);
  });

  it('should start at since', async () => {
    const future = await ask({ app: 'hist', first: 10, since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.errors).toBeUndefined();
    expect(future.data.logs.lines).toEqual([]);
  });

  it('should refuse a made-up cursor and an out-of-range first with BAD_USER_INPUT, asking Fly nothing', async () => {
    const bad = await ask({ app: 'hist', first: 10, after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.extensions.upstreamCalls.byOperation['logs.list'] ?? 0).toBe(0);
    const big = await ask({ app: 'hist', first: 501 });
    expect(big.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(big.extensions.upstreamCalls.byOperation['logs.list'] ?? 0).toBe(0);
  });

  it('should answer NOT_FOUND for an app Fly does not have', async () => {
    const missing = await ask({ app: 'nope', first: 10 });
    expect(missing.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
  });
});
