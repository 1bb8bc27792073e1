/**
 * A Fly-shaped Machines API stub for the benchmarks: 10 apps x 20 machines, each machine with a full config, 3
 * events and 2 checks (about 48 KB per machine list), served from bodies built once at start so the upstream costs
 * as little CPU as possible and answers the same bytes every time. It counts calls per route.
 *
 * Routes (shapes as in ../shared/fly/MACHINES-API.md and the emulator's answers in src/emulator/routes/):
 *   GET  /v1/apps?org_slug=…                      the org's apps
 *   GET  /v1/apps/{app}/machines[?summary=true]   the app's machines; summary leaves out events, checks and most config
 *   GET  /v1/apps/{app}/machines/{id}             one machine
 *   POST /v1/apps/{app}/machines/{id}/restart     {"ok":true}
 *   GET  /v1/apps/{app}/machines/{id}/wait        {"ok":true} at once (the machine is always started again)
 *   GET  /v1/apps/{app}                           one app
 *   GET  /v1/apps/{app}/volumes                   4 volumes; …/volumes/{id}/snapshots 5 snapshots each
 *   GET  /v1/apps/{app}/secrets                   12 secrets: names, digests and times (Fly never sends values here)
 *   GET  /v1/apps/{app}/certificates              6 hostnames with their certificate state
 *   GET  /v1/apps/{app}/ip_assignments            4 addresses (shared v4, v6, Flycast, egress)
 *   GET  /v1/postgres?org_slug=…                  the org's 5 Managed Postgres clusters
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

export const VOLUMES_PER_APP = 4;
export const SNAPSHOTS_PER_VOLUME = 5;
export const SECRETS_PER_APP = 12;
export const CERTIFICATES_PER_APP = 6;
export const IPS_PER_APP = 4;
export const POSTGRES_CLUSTERS = 5;
/** `length` lowercase hex digits from `seed` (32-bit integer mixing, so distinct seeds give distinct ids). */
function hexId(seed: number, length: number): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    let x = Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(round + 1, 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
    out += ((x ^ (x >>> 13)) >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}
export const volumeId = (a: number, v: number): string => `vol_${hexId(a * 100 + v, 16)}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** An app's volumes (the first ones mounted in its machines), each with its snapshots. */
function volumeBodies(a: number): { list: Buffer; snapshots: Map<string, Buffer> } {
  const snapshots = new Map<string, Buffer>();
  const volumes = Array.from({ length: VOLUMES_PER_APP }, (_, v) => {
    const id = volumeId(a, v);
    snapshots.set(
      id,
      Buffer.from(
        JSON.stringify(
          Array.from({ length: SNAPSHOTS_PER_VOLUME }, (_, s) => ({
            id: `vs_${hexId(a * 10_000 + v * 100 + s, 16)}`,
            created_at: iso(EPOCH_MS - 86_400_000 * (s + 1)),
            digest: hexId(a * 10_000 + v * 100 + s + 5_000, 64),
            size: 1_073_741_824 + s * 4096,
            volume_size: 10_737_418_240,
            status: 'created',
            retention_days: 5,
          })),
        ),
      ),
    );
    return {
      id,
      name: 'data',
      state: 'created',
      size_gb: 10,
      region: REGIONS[(a + v * 5) % REGIONS.length],
      zone: `${(0x1a2b + v).toString(16)}`,
      encrypted: true,
      fstype: 'ext4',
      type: 'local',
      created_at: iso(EPOCH_MS - 86_400_000 * (a + 2)),
      attached_machine_id: machineId(a, v * 5),
      attached_alloc_id: hexId(a * 100 + v + 7_000, 8),
      block_size: 4096,
      blocks: 2_621_440,
      blocks_free: 2_400_000,
      blocks_avail: 2_300_000,
      bytes_total: 10_737_418_240,
      bytes_used: 905_969_664,
      snapshot_retention: 5,
      auto_backup_enabled: true,
      host_status: 'ok',
    };
  });
  return { list: Buffer.from(JSON.stringify(volumes)), snapshots };
}

/** Names, digests and times of an app's secrets; the stub, like Fly, has no value to send. */
function secretsBody(a: number): Buffer {
  const names = ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY_BASE', 'SENTRY_DSN', 'STRIPE_KEY', 'SMTP_PASSWORD'];
  const secrets = Array.from({ length: SECRETS_PER_APP }, (_, i) => ({
    name: i < names.length ? names[i] : `FEATURE_TOKEN_${i}`,
    digest: hexId(a * 100 + i + 9_000, 16),
    created_at: iso(EPOCH_MS - 86_400_000 * (i + 1)),
    updated_at: iso(EPOCH_MS - 3_600_000 * (i + 1)),
  }));
  return Buffer.from(JSON.stringify({ secrets }));
}

function certificatesBody(a: number): Buffer {
  const certificates = Array.from({ length: CERTIFICATES_PER_APP }, (_, c) => {
    const ready = c % 3 !== 2;
    return {
      hostname: c === 0 ? `${appName(a)}.example.com` : `h${c}.${appName(a)}.example.com`,
      status: ready ? 'active' : 'pending_ownership',
      configured: ready,
      acme_requested: true,
      acme_alpn_configured: ready,
      acme_dns_configured: ready,
      acme_http_configured: false,
      ownership_txt_configured: ready,
      has_custom_certificate: false,
      has_fly_certificate: ready,
      dns_provider: 'cloudflare',
      created_at: iso(EPOCH_MS - 86_400_000 * (c + 3)),
      updated_at: iso(EPOCH_MS - 3_600_000 * (c + 1)),
    };
  });
  return Buffer.from(JSON.stringify({ certificates, total_count: CERTIFICATES_PER_APP }));
}

function ipsBody(a: number): Buffer {
  const created = iso(EPOCH_MS - 86_400_000 * (a + 2));
  const ips = [
    { ip: `66.241.124.${10 + a}`, region: 'global', created_at: created, shared: true },
    { ip: `2a09:8280:1::${(0x40 + a).toString(16)}:1`, region: 'global', created_at: created },
    { ip: `fdaa:0:${(a + 1).toString(16)}:0:1::2`, region: 'global', created_at: created, network: { name: '', org_slug: ORG } },
    { ip: `137.66.${a}.9`, region: REGIONS[a % REGIONS.length], created_at: created, egress: true },
  ].slice(0, IPS_PER_APP);
  return Buffer.from(JSON.stringify({ ips }));
}

function postgresBody(): Buffer {
  const data = Array.from({ length: POSTGRES_CLUSTERS }, (_, c) => ({
    id: hexId(c + 90_000, 16),
    name: `bench-db-${c}`,
    plan: c === 0 ? 'launch' : 'basic',
    region: REGIONS[c % REGIONS.length],
    status: c === 4 ? 'provisioning' : 'ready',
    created_at: iso(EPOCH_MS - 86_400_000 * (c + 10)),
    attached_apps: [{ name: appName(c), id: 100_000 + c }],
  }));
  return Buffer.from(JSON.stringify({ data }));
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
  const appBodies = new Map(apps.map((app) => [app.name, Buffer.from(JSON.stringify(app))]));
  const resources = new Map(
    apps.map((app, a) => [
      app.name,
      { volumes: volumeBodies(a), secrets: secretsBody(a), certificates: certificatesBody(a), ips: ipsBody(a) },
    ]),
  );
  const lists = new Map<string, { full: Buffer; summary: Buffer }>();
  const machines = new Map<string, Buffer>();
  for (let a = 0; a < APP_COUNT; a++) {
    const full = Array.from({ length: MACHINES_PER_APP }, (_, m) => buildMachine(a, m, false));
    const summary = Array.from({ length: MACHINES_PER_APP }, (_, m) => buildMachine(a, m, true));
    lists.set(appName(a), { full: Buffer.from(JSON.stringify(full)), summary: Buffer.from(JSON.stringify(summary)) });
    for (const machine of full) machines.set(`${appName(a)}/${machine.id as string}`, Buffer.from(JSON.stringify(machine)));
  }
  return { appsList, appBodies, resources, postgres: postgresBody(), lists, machines };
}

/** Route names the counters use. */
export type Route =
  | 'apps.list'
  | 'apps.get'
  | 'volumes.list'
  | 'volumes.snapshots'
  | 'secrets.list'
  | 'certificates.list'
  | 'ips.list'
  | 'postgres.list'
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
    if (collection === 'postgres' && req.method === 'GET' && parts.length === 2) {
      count('postgres.list');
      return send(res, 200, bodies.postgres);
    }
    if (collection === 'apps' && app && req.method === 'GET' && sub !== 'machines') {
      const appBody = bodies.appBodies.get(app);
      const resources = bodies.resources.get(app);
      if (!appBody || !resources) {
        count('other');
        return send(res, 404, NOT_FOUND);
      }
      const found = (route: Route, body: Buffer | undefined) => {
        count(body ? route : 'other');
        return send(res, body ? 200 : 404, body ?? NOT_FOUND);
      };
      if (parts.length === 3) return found('apps.get', appBody);
      if (parts.length === 4 && sub === 'volumes') return found('volumes.list', resources.volumes.list);
      if (parts.length === 6 && sub === 'volumes' && action === 'snapshots')
        return found('volumes.snapshots', resources.volumes.snapshots.get(id!));
      if (parts.length === 4 && sub === 'secrets') return found('secrets.list', resources.secrets);
      if (parts.length === 4 && sub === 'certificates') return found('certificates.list', resources.certificates);
      if (parts.length === 4 && sub === 'ip_assignments') return found('ips.list', resources.ips);
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
