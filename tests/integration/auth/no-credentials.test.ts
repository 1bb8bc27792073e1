import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createKey } from '#src/api/auth/keys.js';
import { createEmulator, type Emulator } from '#src/emulator/emulator.js';
import { buildTestGateway, INSTANT, type BuiltTestGateway } from '../../helpers/test-gateway.js';

// Nothing may run without credentials, whatever the method, Accept header, transport or GraphiQL setting: only the
// GraphiQL page itself (no data) is served to a browser's GET while GraphiQL is on, and while it is off a bare page
// load is told so (406); everything else answers 401.

const APP = 'guarded-app';
const QUERY = `{ apps { nodes { name machines { nodes { machineId } } } } }`;
const SUBSCRIPTION = `subscription { machineStateChanged(app: "${APP}") { app } }`;
const HEALTH = 'subscription { health(intervalSeconds: 1) { ok mode } }';
const ACCEPTS = [
  undefined,
  '*/*',
  'application/json',
  'application/graphql-response+json',
  'text/html',
  'text/html, application/json',
  'application/json, text/html;q=0.9',
  'text/event-stream',
  'text/event-stream, text/html',
  'multipart/mixed',
];
const MODES = ['api-keys', 'fly-token'] as const;
const KEY = createKey('reader', new Set(['read']));

interface Probe {
  method: 'GET' | 'POST';
  accept: string | undefined;
  query: string;
  csrf: boolean;
}

function probes(): Probe[] {
  const out: Probe[] = [];
  for (const method of ['GET', 'POST'] as const)
    for (const accept of ACCEPTS)
      for (const query of [QUERY, SUBSCRIPTION, HEALTH]) for (const csrf of [true, false]) out.push({ method, accept, query, csrf });
  return out;
}

async function send(url: string, probe: Probe, via: (input: string, init: RequestInit) => Promise<Response>) {
  const headers: Record<string, string> = {};
  if (probe.accept) headers.accept = probe.accept;
  if (probe.csrf) headers['x-graphql-csrf'] = '1';
  const target = probe.method === 'GET' ? `${url}?query=${encodeURIComponent(probe.query)}` : url;
  if (probe.method === 'POST') headers['content-type'] = 'application/json';
  const controller = new AbortController();
  const response = await via(target, {
    method: probe.method,
    headers,
    body: probe.method === 'POST' ? JSON.stringify({ query: probe.query }) : undefined,
    signal: controller.signal,
  });
  // A stream that was (wrongly) opened would never end: read what arrives within a moment, then let go.
  const timer = setTimeout(() => controller.abort(), 300);
  const text = await response.text().catch(() => '');
  clearTimeout(timer);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text };
}

describe.each(MODES)('a request without credentials in %s mode', (mode) => {
  let emu: Emulator;
  const gateways: Record<'on' | 'off', BuiltTestGateway> = {} as never;
  let machineId = '';

  beforeAll(async () => {
    emu = createEmulator({ seed: 'none', delays: INSTANT });
    await emu.start({ port: 0, host: '127.0.0.1' });
    emu.control.createApp(APP);
    machineId = emu.control.createMachine(APP, { state: 'started' }).id;
    const env = { AUTH_MODE: mode, API_KEYS: mode === 'api-keys' ? KEY.entry : '', AUTH_ALLOW_NONE: 'false' };
    gateways.on = await buildTestGateway({ emulator: emu, listen: true, env: { ...env, GRAPHIQL: 'true' } });
    gateways.off = await buildTestGateway({ emulator: emu, listen: true, env: { ...env, GRAPHIQL: 'false' } });
  });
  afterAll(async () => {
    await gateways.on?.close();
    await gateways.off?.close();
    await emu?.stop();
  });

  for (const graphiql of ['on', 'off'] as const) {
    it(`should answer 401 (or, GraphiQL ${graphiql}, the page or why there is none) over HTTP and in process, and call Fly for nothing`, async () => {
      const gw = gateways[graphiql];
      const before = JSON.stringify(emu.requestCounts());
      const unexpected: string[] = [];
      for (const probe of probes()) {
        for (const [where, via] of [
          ['socket', (input: string, init: RequestInit) => fetch(input, init)],
          ['in-process', (input: string, init: RequestInit) => gw.gateway.fetch(input.replace(/^http:\/\/[^/]+/, 'http://gateway'), init)],
        ] as const) {
          const answer = await send(gw.url, probe, via);
          const accept = probe.accept ?? '';
          const browser = probe.method === 'GET' && accept.includes('text/html');
          // GraphiQL on: a browser's GET is the page. Off: a bare page load is told GraphiQL is off (406); any
          // GET that also accepts a GraphQL answer is an execution and needs a caller.
          const expected = !browser ? 401 : graphiql === 'on' ? 200 : /json|event-stream|multipart/.test(accept) ? 401 : 406;
          const ok = answer.status === expected && (expected !== 200 || answer.type.includes('text/html'));
          if (!ok || answer.text.includes(APP) || answer.text.includes(machineId)) {
            unexpected.push(
              `${where} ${probe.method} accept=${probe.accept} csrf=${probe.csrf} ${probe.query.slice(0, 20)} -> ${answer.status}`,
            );
          }
        }
      }
      expect(unexpected).toEqual([]);
      expect(JSON.stringify(emu.requestCounts())).toBe(before);
    });
  }

  it('should close a graphql-ws socket that names nobody with 4401, before any operation runs', async () => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: gateways.off.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe({ query: HEALTH }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(closed).toBe(4401);
  });

  it('should still serve a caller that names itself (the check above can fail)', async () => {
    const authorization = mode === 'api-keys' ? `Bearer ${KEY.key}` : `Bearer ${emu.token}`;
    const response = await fetch(gateways.off.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(machineId);
  });
});
