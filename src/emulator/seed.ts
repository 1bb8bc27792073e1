import type { EmulatorControl } from './control.js';

const web = (image: string, role: string) => ({
  image,
  guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
  env: { PORT: '8080' },
  metadata: { role, fly_process_group: 'app', fly_platform_version: 'v2' },
  services: [
    { protocol: 'tcp', internal_port: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }], autostop: 'stop', autostart: true },
  ],
  checks: { http: { type: 'http', port: 8080, path: '/health', interval: '15s', timeout: '2s' } },
  restart: { policy: 'on-failure', max_retries: 10 },
});

/** The demo hostname whose certificate waits for its DNS at start and is issued a little later (GraphiQL's Certificate example). */
export const DEMO_CERTIFICATE_HOSTNAME = 'www.demo-web.example';
/** How long after the demo starts {@link DEMO_CERTIFICATE_HOSTNAME}'s DNS record "propagates", in ms. */
export const DEMO_DNS_DELAY_MS = 20_000;

/**
 * Two tokens the demo emulator also accepts, each scoped to half of the demo apps, to try fly-token mode with
 * (`AUTH_MODE=fly-token npm start`, then `Authorization: Bearer <one of them>`). Public by design: demo data only.
 */
export const DEMO_TENANT_TOKENS: Readonly<Record<string, readonly string[]>> = {
  emu_demo_tenant_a: ['demo-web', 'demo-api'],
  emu_demo_tenant_b: ['demo-worker', 'demo-db'],
};

/**
 * Demo data: several apps across regions, machines in several states with event histories and checks, and volumes.
 * Goes through the control API so it exercises the same state machine as HTTP clients.
 */
export function seedDemo(control: EmulatorControl): void {
  control.createApp('demo-web');
  control.createApp('demo-api');
  control.createApp('demo-worker');
  control.createApp('demo-db');

  for (const [region, state] of [
    ['iad', 'started'],
    ['lhr', 'started'],
    ['nrt', 'started'],
    ['iad', 'stopped'],
  ] as const) {
    control.createMachine('demo-web', { config: web('registry.fly.io/demo-web:v42', 'web'), region, state });
  }
  const api = [
    control.createMachine('demo-api', { config: web('registry.fly.io/demo-api:2026.1', 'api'), region: 'ord', state: 'started' }),
    control.createMachine('demo-api', { config: web('registry.fly.io/demo-api:2026.1', 'api'), region: 'fra', state: 'started' }),
    control.createMachine('demo-api', { config: web('registry.fly.io/demo-api:2026.1', 'api'), region: 'fra', state: 'suspended' }),
  ];
  control.setCheck('demo-api', api[1].id, 'http', 'warning', 'HTTP GET /health: 200 OK but slow (1.8s)');

  const worker = {
    image: 'registry.fly.io/demo-worker:v7',
    guest: { cpu_kind: 'performance', cpus: 2, memory_mb: 4096 },
    metadata: { role: 'worker' },
  };
  control.createMachine('demo-worker', { config: worker, region: 'sjc', state: 'failed' });
  control.createMachine('demo-worker', { config: worker, region: 'sjc', skipLaunch: true, state: 'created' });
  control.createMachine('demo-worker', { config: worker, region: 'ams', state: 'stopped' });

  const data = control.createVolume('demo-db', { name: 'pg_data', region: 'iad', sizeGb: 10 });
  control.createVolume('demo-db', { name: 'pg_data', region: 'lhr', sizeGb: 10 });
  control.createVolume('demo-web', { name: 'uploads', region: 'iad', sizeGb: 3 });
  control.createMachine('demo-db', {
    config: {
      image: 'flyio/postgres-flex:16',
      guest: { cpu_kind: 'shared', cpus: 2, memory_mb: 1024 },
      metadata: { role: 'primary', 'fly-managed-postgres': 'true' },
      mounts: [{ volume: String(data.id), path: '/data' }],
      checks: { pg: { type: 'tcp', port: 5432, interval: '10s', timeout: '2s' } },
    },
    region: 'iad',
    state: 'started',
  });

  // Addresses and certificates: demo-web's apex is issued at once, its www waits for DNS that arrives a little later.
  const shared = control.allocateIp('demo-web', { type: 'shared_v4' });
  control.allocateIp('demo-web', { type: 'v6' });
  control.allocateIp('demo-api', { type: 'v4', region: 'ord' });
  control.allocateIp('demo-api', { type: 'v6' });
  control.allocateIp('demo-api', { type: 'private_v6', serviceName: 'api-internal' });
  control.addCertificate('demo-web', 'demo-web.example');
  control.setDns('demo-web.example', { a: [String(shared.ip)] });
  control.addCertificate('demo-web', DEMO_CERTIFICATE_HOSTNAME);
  control.setDns(DEMO_CERTIFICATE_HOSTNAME, { cname: ['demo-web.fly.dev'] }, { afterMs: DEMO_DNS_DELAY_MS });
}
