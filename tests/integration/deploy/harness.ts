import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '#src/emulator/emulator.js';
import type { EmulatorChange } from '#src/emulator/types.js';
import { createGateway, type Gateway } from '#src/gateway.js';
import { createManualClock, type ManualClock } from '#src/lib/clock.js';

/** Transition delays long enough that machines of one pool are visibly down together. */
export const DEPLOY_DELAYS = { start: 400, stop: 400, restart: 800, suspend: 600, destroy: 300, update: 800, create: 200 };

export const HEALTHY_CONFIG = {
  image: 'registry.fly.io/shop:v1',
  guest: { cpu_kind: 'shared', cpus: 1, memory_mb: 256 },
  services: [{ protocol: 'tcp', internal_port: 8080, ports: [{ port: 443, handlers: ['tls', 'http'] }] }],
  checks: { http: { type: 'http', port: 8080, path: '/health', interval: '15s', timeout: '2s' } },
  restart: { policy: 'on-failure', max_retries: 10 },
};

export const DEPLOYMENT_FIELDS = `id app image strategy status error maxUnavailable createdAt finishedAt
  machines { machineId role skipLaunch previousVersion targetVersion previousImage targetImage steps { seq step at message } }
  steps { seq machineId step at message }`;

export const DEPLOY = `mutation Deploy($input: DeployAppInput!) {
  deployApp(input: $input) {
    __typename
    ... on DeployAppSuccess { deployment { ${DEPLOYMENT_FIELDS} } }
    ... on Error { code message }
    ... on InvalidInputError { issues { field message } }
  }
}`;

export const GET = `query Get($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`;

/** A deployment as the tests read it. */
export interface DeploymentView {
  id: string;
  status: string;
  error: string | null;
  maxUnavailable: number;
  machines: {
    machineId: string;
    role: string;
    skipLaunch: boolean;
    previousVersion: string | null;
    targetVersion: string | null;
    steps: { seq: number; step: string; message: string | null }[];
  }[];
  steps: { seq: number; machineId: string; step: string; at: string; message: string | null }[];
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'CANCELLED', 'INTERRUPTED']);

/** A gateway (no socket) and an emulator on one manual clock; changes of the emulator are recorded. */
export interface DeployHarness {
  gateway: Gateway;
  emu: Emulator;
  clock: ManualClock;
  changes: EmulatorChange[];
  graphql(query: string, variables?: Record<string, unknown>): Promise<any>;
  deploy(input: Record<string, unknown>): Promise<any>;
  get(id: string): Promise<DeploymentView>;
  /** Advances the clock in small steps (letting real I/O happen between them) until the deployment is final. */
  settle(id: string, maxMs?: number): Promise<{ view: DeploymentView; elapsedMs: number }>;
  /** Creates `app` with machines in the given states, all on {@link HEALTHY_CONFIG} unless `config` is given. */
  app(app: string, states: string[], config?: Record<string, unknown>): string[];
  close(): Promise<void>;
}

export async function startDeployHarness(
  options: { emulator?: Omit<EmulatorOptions, 'clock' | 'delays' | 'seed'>; env?: Record<string, string>; seed?: 'demo' | 'none' } = {},
): Promise<DeployHarness> {
  const clock = createManualClock();
  const emu = createEmulator({ seed: options.seed ?? 'none', clock, delays: DEPLOY_DELAYS, ...options.emulator });
  await emu.start({ port: 0, host: '127.0.0.1' });
  const changes: EmulatorChange[] = [];
  emu.onChange((c) => changes.push(c));
  const config = loadConfig({
    env: {
      FLY_API_TOKEN: emu.token,
      FLY_API_BASE_URL: emu.url,
      FLY_PLATFORM_BASE_URL: emu.url,
      LOG_LEVEL: 'silent',
      FLY_RATE_LIMIT: 'false',
      SYNC_ENABLED: 'false',
      ...options.env,
    },
  });
  const gateway = createGateway(config, { clock });

  async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const response = await gateway.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  const get = async (id: string): Promise<DeploymentView> => (await graphql(GET, { id })).deployment;

  return {
    gateway,
    emu,
    clock,
    changes,
    graphql,
    deploy: async (input) => (await graphql(DEPLOY, { input })).deployApp,
    get,
    async settle(id, maxMs = 15 * 60_000) {
      const start = clock.now();
      for (;;) {
        const view = await get(id);
        if (FINAL.has(view.status)) return { view, elapsedMs: clock.now() - start };
        if (clock.now() - start > maxMs)
          throw new Error(`deployment still ${view.status} after ${maxMs} ms: ${JSON.stringify(view.steps)}`);
        await clock.advance(100);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
    app(app, states, cfg = HEALTHY_CONFIG) {
      emu.control.createApp(app);
      return states.map(
        (state, i) => emu.control.createMachine(app, { config: cfg, region: ['iad', 'lhr', 'nrt', 'fra', 'syd', 'gru'][i % 6], state }).id,
      );
    },
    async close() {
      await gateway.stop();
      await emu.stop();
    },
  };
}

/** The most started machines (of `ids`) that were not `started` at the same time, from the emulator's change log. */
export function maxDown(changes: EmulatorChange[], ids: string[]): number {
  const down = new Set<string>();
  let max = 0;
  for (const c of changes) {
    if (c.type !== 'machine.state_changed' || !ids.includes(c.data.machine_id)) continue;
    if (c.data.to === 'started') down.delete(c.data.machine_id);
    else down.add(c.data.machine_id);
    max = Math.max(max, down.size);
  }
  return max;
}
