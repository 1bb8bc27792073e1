import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../events/harness.js';

/** The dashboard: app names at once, each app's machines when its list arrives. */
const DASHBOARD = `query Dashboard {
  apps { nodes { name ... @defer(label: "machines") { machines { nodes { machineId state } } } } }
}`;
const STREAMED = '{ apps { nodes @stream(initialCount: 1) { name } } }';
const APPS = ['defer-a', 'defer-b', 'defer-c'];
/** How long Fly takes to list an app's machines in these tests. */
const LIST_LATENCY_MS = 400;

/** One part as it arrived, with the time it arrived (ms since the request was sent). */
interface Part {
  at: number;
  body: {
    data?: any;
    incremental?: Array<{ data?: any; items?: unknown[]; path: Array<string | number>; label?: string }>;
    hasNext?: boolean;
    errors?: unknown[];
  };
}

/** Sends `query` with `accept` and collects the parts of the answer as they arrive (multipart/mixed or SSE). */
async function parts(
  url: string,
  query: string,
  accept: 'multipart/mixed' | 'text/event-stream',
): Promise<{ type: string; parts: Part[] }> {
  const sent = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  const found: Part[] = [];
  const decoder = new TextDecoder();
  let text = '';
  let consumed = 0;
  // A multipart part is headers, a blank line and one line of JSON before the next boundary; an SSE message is
  // `event: next` and `data: <json>` lines.
  const pattern = accept === 'multipart/mixed' ? /\r\n\r\n(\{.*?\})\r\n---/g : /event: next\ndata: (\{.*?\})\n\n/g;
  const reader = response.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    text += decoder.decode(read.value, { stream: true });
    pattern.lastIndex = consumed;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      found.push({ at: performance.now() - sent, body: JSON.parse(match[1]) });
      consumed = pattern.lastIndex - (accept === 'multipart/mixed' ? 3 : 0);
    }
  }
  return { type: response.headers.get('content-type') ?? '', parts: found };
}

describe('@defer and @stream over HTTP', () => {
  let gw: TestGateway;
  const machines: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway({ env: { CACHE_ENABLED: 'false' } });
    for (const app of APPS) {
      gw.emu.control.createApp(app);
      machines[app] = gw.emu.control.createMachine(app, { state: 'started' }).id;
    }
    gw.emu.faults.add({ route: 'machines.list', latencyMs: LIST_LATENCY_MS });
  });
  afterAll(async () => gw?.close());

  for (const accept of ['multipart/mixed', 'text/event-stream'] as const) {
    it(`should send the app names at once, then each app's machines, then the end, over ${accept}`, async () => {
      const listsBefore = gw.emu.requestCounts()['machines.list'] ?? 0;
      const answer = await parts(gw.graphqlUrl, DASHBOARD, accept);
      expect(answer.type).toContain(accept);
      const [initial, ...later] = answer.parts;

      // First: every app's name and nothing of its machines, with more to come.
      expect(initial.body.hasNext).toBe(true);
      expect(initial.body.data.apps.nodes.map((n: { name: string }) => n.name).sort()).toEqual([...APPS].sort());
      expect(initial.body.data.apps.nodes.every((n: object) => !('machines' in n))).toBe(true);
      // ... before Fly has listed any machines.
      expect(initial.at).toBeLessThan(later[0].at - LIST_LATENCY_MS / 2);

      // Then one deferred part per app, each at the path of its app, and the last one says it is the last.
      const delivered = later.flatMap((part) => part.body.incremental ?? []);
      expect(delivered).toHaveLength(APPS.length);
      for (const item of delivered) {
        const app = initial.body.data.apps.nodes[item.path[2] as number].name as string;
        expect(item.path.slice(0, 2)).toEqual(['apps', 'nodes']);
        expect(item.label).toBe('machines');
        expect(item.data.machines.nodes).toEqual([{ machineId: machines[app], state: 'STARTED' }]);
      }
      expect(later.at(-1)!.body.hasNext).toBe(false);
      expect(later.slice(0, -1).every((part) => part.body.hasNext === true)).toBe(true);
      expect((gw.emu.requestCounts()['machines.list'] ?? 0) - listsBefore).toBe(APPS.length);
    });
  }

  it('should stream list items after the initial count, in list order', async () => {
    const answer = await parts(gw.graphqlUrl, STREAMED, 'multipart/mixed');
    const [initial, ...later] = answer.parts;
    expect(initial.body.data.apps.nodes).toHaveLength(1);
    expect(initial.body.hasNext).toBe(true);
    const items = later.flatMap((part) => part.body.incremental ?? []);
    const names = [
      initial.body.data.apps.nodes[0].name,
      ...items.flatMap((item) => (item.items as Array<{ name: string }>).map((i) => i.name)),
    ];
    expect(names.sort()).toEqual([...APPS].sort());
    // Each streamed item sits at the next index of the list.
    expect(items.map((item) => item.path)).toEqual(items.map((_, i) => ['apps', 'nodes', i + 1]));
    expect(later.at(-1)!.body.hasNext).toBe(false);
  });

  it('should refuse with 406 NOT_ACCEPTABLE, asking nothing of Fly, when the client accepts only JSON', async () => {
    const listsBefore = gw.emu.requestCounts()['machines.list'] ?? 0;
    const response = await fetch(gw.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: DASHBOARD }),
    });
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(response.status).toBe(406);
    expect(body.errors[0].extensions.code).toBe('NOT_ACCEPTABLE');
    expect(body.errors[0].message).toContain('@defer');
    expect(gw.emu.requestCounts()['machines.list'] ?? 0).toBe(listsBefore);
  });
});
