/**
 * A Fly-shaped Machines API stub for the benchmarks: 10 apps x 20 machines, each machine with a full config, 3
 * events and 2 checks (about 48 KB per machine list), served from bodies built once at start so the upstream costs
 * as little CPU as possible and answers the same bytes every time. It counts calls per route.
 *
 * Routes (shapes as in ../shared/fly/MACHINES-API.md):
 *   GET  /v1/apps?org_slug=…                      the org's apps
 *   GET  /v1/apps/{app}/machines[?summary=true]   the app's machines; summary leaves out events, checks and most config
 *   GET  /v1/apps/{app}/machines/{id}             one machine
 *   POST /v1/apps/{app}/machines/{id}/restart     {"ok":true}
 *   GET  /v1/apps/{app}/machines/{id}/wait        {"ok":true} at once (the machine is always started again)
 *   GET  /v1/tokens/current                       the readiness probe's target
 * Bench control (not Fly): GET /__bench/counts, POST /__bench/reset.
 *
 *   npx tsx bench/peers/upstream.ts [port]    prints `listening <url>` once it listens
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export const APP_COUNT = 10;
export const MACHINES_PER_APP = 20;
export const ORG = 'bench-org';
const REGIONS = ['ams', 'fra', 'iad', 'ord', 'sjc', 'syd', 'nrt', 'gru'];
/** A fixed instant, so every run serves the same bytes. */
const EPOCH_MS = Date.UTC(2026, 10, 1, 12, 0, 0);

export const appName = (a: number): string => `bench-app-${a}`;
/** 14 hex characters, like Fly's machine ids. */
export const machineId = (a: number, m: number): string => `${(0x1000 + a).toString(16)}${(0xa0000000 + m).toString(16)}`.padEnd(14, '0');

/** Deterministic 26-character ULID-looking ids. */
function ulid(seed: number): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let out = '01J';
  let x = seed * 2654435761;
  for (let i = 0; i < 23; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % 32];
  }
  return out;
}

function machineConfig(a: number, m: number): Record<string, unknown> {
  const image = `registry.fly.io/${appName(a)}:deployment-${ulid(a * 1000 + 7)}`;
  return {
    image,
    guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 512 },
    env: {
      PRIMARY_REGION: REGIONS[a % REGIONS.length],
      NODE_ENV: 'production',
      DATABASE_POOL_SIZE: '10',
    },
    metadata: {
      fly_platform_version: 'v2',
      fly_process_group: m % 4 === 0 ? 'worker' : 'app',
      fly_release_id: `Rel_${ulid(a * 100 + 3).slice(0, 12)}`,
      fly_release_version: '42',
    },
    services: [
      {
        protocol: 'tcp',
        internal_port: 8080,
        autostop: 'stop',
        autostart: true,
        min_machines_running: 1,
        ports: [
          { port: 80, handlers: ['http'], force_https: true },
          { port: 443, handlers: ['tls', 'http'], http_options: { h2_backend: true } },
        ],
        concurrency: { type: 'requests', soft_limit: 200, hard_limit: 250 },
        checks: [{ type: 'http', interval: '15s', timeout: '2s', path: '/healthz' }],
      },
    ],
    checks: {
      http: { type: 'http', port: 8080, interval: '15s', timeout: '2s', grace_period: '1s', method: 'GET', path: '/healthz' },
      db: { type: 'tcp', port: 5432, interval: '30s', timeout: '5s' },
    },
    restart: { policy: 'on-failure', max_retries: 10 },
    mounts:
      m % 5 === 0
        ? [
            {
              volume: `vol_${ulid(a * 50 + m)
                .slice(0, 16)
                .toLowerCase()}`,
              path: '/data',
              name: 'data',
              size_gb: 10,
            },
          ]
        : [],
  };
}

function machineEvents(a: number, m: number): Record<string, unknown>[] {
  const base = EPOCH_MS - (a * MACHINES_PER_APP + m) * 60_000;
  return [
    { id: ulid(a * 10_000 + m * 10 + 3), type: 'start', status: 'started', source: 'flyd', timestamp: base + 2_000, request: {} },
    {
      id: ulid(a * 10_000 + m * 10 + 2),
      type: 'exit',
      status: 'stopped',
      source: 'flyd',
      timestamp: base + 1_000,
      request: {
        exit_event: {
          exit_code: 0,
          guest_exit_code: 0,
          oom_killed: false,
          requested_stop: true,
          restarting: true,
          exited_at: new Date(base + 1_000).toISOString(),
        },
        restart_count: 1,
      },
    },
    { id: ulid(a * 10_000 + m * 10 + 1), type: 'launch', status: 'created', source: 'user', timestamp: base, request: {} },
  ];
}

function buildMachine(a: number, m: number, summary: boolean): Record<string, unknown> {
  const config = machineConfig(a, m);
  const version = ulid(a * 100_000 + m);
  const image = config.image as string;
  const body: Record<string, unknown> = {
    id: machineId(a, m),
    name: `${appName(a)}-${m % 4 === 0 ? 'worker' : 'web'}-${m}`,
    state: 'started',
    region: REGIONS[(a + m) % REGIONS.length],
    instance_id: version,
    version,
    private_ip: `fdaa:0:${(a + 1).toString(16)}:a7b:${(m + 10).toString(16)}:${(0x1000 + m).toString(16)}:${(0x2000 + a).toString(16)}:2`,
    cordoned: false,
    created_at: new Date(EPOCH_MS - 86_400_000 * (a + 1)).toISOString(),
    updated_at: new Date(EPOCH_MS - 60_000 * (m + 1)).toISOString(),
    config: summary ? { image, guest: config.guest, metadata: config.metadata } : config,
    image_ref: {
      registry: 'registry.fly.io',
      repository: appName(a),
      tag: image.split(':').at(-1),
      digest: `sha256:${Buffer.from(`${a}:${m}:${image}`).toString('hex').padEnd(64, '0').slice(0, 64)}`,
      labels: {},
    },
    host_status: 'ok',
  };
  if (!summary) {
    body.events = machineEvents(a, m);
    body.checks = [
      {
        name: 'http',
        status: 'passing',
        output: 'HTTP GET http://172.19.0.2:8080/healthz: 200 OK Output: "ok"',
        updated_at: body.updated_at,
      },
      {
        name: 'db',
        status: m % 7 === 3 ? 'critical' : 'passing',
        output: m % 7 === 3 ? 'dial tcp 172.19.0.2:5432: connect: connection refused' : 'TCP connect 172.19.0.2:5432: Success',
        updated_at: body.updated_at,
      },
    ];
  }
  return body;
}

/** The bytes the stub serves, built once. */
export function buildBodies() {
  const apps = Array.from({ length: APP_COUNT }, (_, a) => ({
    id: `app_${ulid(a + 1)
      .slice(0, 12)
      .toLowerCase()}`,
    name: appName(a),
    status: 'deployed',
    network: 'default',
    network_cidr: 'fdaa:0:1::/48',
    machine_count: MACHINES_PER_APP,
    volume_count: 4,
    internal_numeric_id: 100_000 + a,
    organization: { name: ORG, slug: ORG, internal_numeric_id: 1 },
  }));
  const appsList = Buffer.from(JSON.stringify({ apps, total_apps: APP_COUNT }));
  const lists = new Map<string, { full: Buffer; summary: Buffer }>();
  const machines = new Map<string, Buffer>();
  for (let a = 0; a < APP_COUNT; a++) {
    const full = Array.from({ length: MACHINES_PER_APP }, (_, m) => buildMachine(a, m, false));
    const summary = Array.from({ length: MACHINES_PER_APP }, (_, m) => buildMachine(a, m, true));
    lists.set(appName(a), { full: Buffer.from(JSON.stringify(full)), summary: Buffer.from(JSON.stringify(summary)) });
    for (const machine of full) machines.set(`${appName(a)}/${machine.id as string}`, Buffer.from(JSON.stringify(machine)));
  }
  return { appsList, lists, machines };
}

/** Route names the counters use. */
export type Route =
  | 'apps.list'
  | 'machines.list'
  | 'machines.list.summary'
  | 'machines.get'
  | 'machines.restart'
  | 'machines.wait'
  | 'tokens.current'
  | 'other';

export interface Upstream {
  url: string;
  counts(): Record<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const OK = Buffer.from('{"ok":true}');
const TOKEN = Buffer.from(
  JSON.stringify({ tokens: [{ org_slug: ORG, organization: ORG, apps: [], user: 'bench', token_id: 'tok_bench' }] }),
);
const NOT_FOUND = Buffer.from('{"error":"not found"}');
const UNAUTHORIZED = Buffer.from('{"error":"Authenticate: token validation error"}');

/** Starts the stub on 127.0.0.1. */
export async function startUpstream(port = 0): Promise<Upstream> {
  const bodies = buildBodies();
  const counts = new Map<Route, number>();
  const count = (route: Route) => counts.set(route, (counts.get(route) ?? 0) + 1);
  const send = (res: ServerResponse, status: number, body: Buffer) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length, 'fly-request-id': 'bench' });
    res.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '__bench') {
      if (parts[1] === 'counts') return send(res, 200, Buffer.from(JSON.stringify(Object.fromEntries(counts))));
      if (parts[1] === 'reset' && req.method === 'POST') {
        counts.clear();
        return send(res, 200, OK);
      }
      return send(res, 404, NOT_FOUND);
    }
    if (!req.headers.authorization) return send(res, 401, UNAUTHORIZED);
    if (parts[0] !== 'v1') {
      count('other');
      return send(res, 404, NOT_FOUND);
    }
    const [, collection, app, sub, id, action] = parts;
    if (req.method === 'GET' && collection === 'tokens' && app === 'current' && parts.length === 3) {
      count('tokens.current');
      return send(res, 200, TOKEN);
    }
    if (collection === 'apps' && req.method === 'GET' && parts.length === 2) {
      count('apps.list');
      return send(res, 200, bodies.appsList);
    }
    if (collection === 'apps' && sub === 'machines' && app) {
      const list = bodies.lists.get(app);
      if (!list) {
        count('other');
        return send(res, 404, NOT_FOUND);
      }
      if (parts.length === 4 && req.method === 'GET') {
        const summary = url.searchParams.get('summary') === 'true';
        count(summary ? 'machines.list.summary' : 'machines.list');
        return send(res, 200, summary ? list.summary : list.full);
      }
      const machine = id ? bodies.machines.get(`${app}/${id}`) : undefined;
      if (!machine) {
        count('other');
        return send(res, 404, NOT_FOUND);
      }
      if (parts.length === 5 && req.method === 'GET') {
        count('machines.get');
        return send(res, 200, machine);
      }
      if (parts.length === 6 && action === 'restart' && req.method === 'POST') {
        count('machines.restart');
        // Drain the (empty) body before answering, so keep-alive connections stay in step.
        req.resume();
        return req.on('end', () => send(res, 200, OK));
      }
      if (parts.length === 6 && action === 'wait' && req.method === 'GET') {
        count('machines.wait');
        return send(res, 200, OK);
      }
    }
    count('other');
    return send(res, 404, NOT_FOUND);
  };

  const server: Server = createServer({ keepAliveTimeout: 60_000 }, handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    counts: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const upstream = await startUpstream(Number(process.argv[2] ?? 0));
  const sizes = buildBodies();
  const listKb = [...sizes.lists.values()].map((l) => Math.round(l.full.length / 1024));
  console.log(`machine list sizes (KiB): ${listKb.join(' ')}`);
  console.log(`listening ${upstream.url}`);
  const stop = () => void upstream.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
