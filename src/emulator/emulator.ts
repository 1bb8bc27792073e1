import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { systemClock, type Clock } from '../lib/clock.js';
import { createActivityLoop } from './activity.js';
import { createTokenRegistry, type TokenRegistry } from './auth.js';
import type { Handlers, RouteContext } from './context.js';
import { createCertificates } from './certificates.js';
import { createControl, type EmulatorControl } from './control.js';
import { createFaultInjector, type FaultInjector } from './faults.js';
import { createIdFactory } from './ids.js';
import { createLifecycle } from './lifecycle.js';
import { createRateLimiter } from './rate-limit.js';
import { appRoutes } from './routes/apps.js';
import { certificateRoutes } from './routes/certificates.js';
import { ipAssignmentRoutes } from './routes/ip-assignments.js';
import { graphqlRoutes } from './routes/graphql.js';
import { createLogStore, type LogStore } from './log-store.js';
import { logRoutes } from './routes/logs.js';
import { startNatsLogRelay, type NatsLogRelay } from './nats-relay.js';
import { leaseRoutes } from './routes/leases.js';
import { machineActionRoutes } from './routes/machine-actions.js';
import { machineInfoRoutes } from './routes/machine-info.js';
import { waitRoutes } from './routes/machine-wait.js';
import { machineRoutes } from './routes/machines.js';
import { metadataRoutes } from './routes/metadata.js';
import { orgRoutes } from './routes/orgs.js';
import { execRoutes } from './routes/exec.js';
import { placementRoutes } from './routes/placements.js';
import { tokenRoutes } from './routes/tokens.js';
import { currentTokenRoutes } from './routes/org-tokens.js';
import { metricsRoutes } from './routes/metrics.js';
import { platformRoutes } from './routes/platform.js';
import { secretRoutes } from './routes/secrets.js';
import { volumeRoutes } from './routes/volumes.js';
import { createPostgresControl, seedPostgres, type PostgresControl } from './postgres-control.js';
import { createPostgresStore, type PostgresClusterRecord } from './postgres-store.js';
import { postgresRoutes } from './routes/postgres.js';
import { DEMO_TENANT_TOKENS, seedDemo } from './seed.js';
import { createRequestListener } from './server.js';
import { createSecretsStore } from './secrets-store.js';
import { createStore } from './store.js';
import type { EmulatorChange, TransitionDelays } from './types.js';
import { createWaiters } from './waiters.js';

/** Types and the served-operation list that callers of {@link createEmulator} need, re-exported so they import one module. */
export type { EmulatorChange } from './types.js';
export type { EmulatorControl } from './control.js';
export type { FaultInjector, FaultSpec } from './faults.js';
export { SERVED_OPERATIONS } from './route-table.js';

/** Options of {@link createEmulator}. */
export interface EmulatorOptions {
  /** The emulator's own token, which sees every app. @default a random `emu_` + hex string */
  token?: string;
  /** More tokens, each seeing only the apps listed (as Fly's tokens are scoped). The demo seed adds {@link DEMO_TENANT_TOKENS}. */
  scopedTokens?: Readonly<Record<string, readonly string[]>>;
  /** Tokens that see the apps listed but may only read them (`fly tokens create readonly`). */
  readOnlyTokens?: Readonly<Record<string, readonly string[]>>;
  /** Time source for transitions, wait timeouts, lease expiry, rate limits and latency faults. @default systemClock */
  clock?: Clock;
  /** `demo` loads apps, machines (several states, events, checks) and volumes. @default 'none' */
  seed?: 'demo' | 'none';
  /** Enforce Fly's documented budgets with 429 + Retry-After. @default false */
  rateLimit?: boolean;
  /** How long each transient state lasts, in ms; 0 settles at once. @default start 400, stop 400, restart 800, suspend 600, destroy 300, update 800, create 200 */
  delays?: Partial<TransitionDelays>;
  /** Organization slug (`personal` is accepted as an alias). @default 'personal' */
  org?: string;
  /** Random source for fault error rates and the activity loop. @default Math.random */
  random?: () => number;
  /** How long each Managed Postgres phase lasts (creating, initializing, deleting, a backup), in ms; 0 settles at once. @default 1500 */
  postgresDelayMs?: number;
  /** How long Let's Encrypt takes to issue a certificate once its hostname's DNS is in place, in ms of the emulator clock. @default 1500 */
  certificateIssueMs?: number;
  /** Publish every log line to this NATS server as Fly's log stream does (`logs.<app>.<region>.<machine>`). */
  natsUrl?: string;
}

/** A running (or startable) Fly Machines API emulator. */
export interface Emulator {
  /** Listens and resolves the base URL (without `/v1`); port 0 picks a free port. */
  start(opts?: { port?: number; host?: string }): Promise<string>;
  /** Closes the server, ends hung and long-polling requests, and cancels pending transitions. */
  stop(): Promise<void>;
  /** Base URL once started, else ''. */
  readonly url: string;
  readonly token: string;
  /** Grants and revokes scoped tokens while running (tenancy tests). */
  readonly tokens: Pick<TokenRegistry, 'grant' | 'revoke'>;
  readonly clock: Clock;
  /** Direct state access for tests and demo mode (no HTTP). */
  readonly control: EmulatorControl;
  /** Fault injection per route: latency, error rate/status, hang, connection reset. */
  readonly faults: FaultInjector;
  /** Change notices for every machine change, for webhook relays; returns an unsubscribe function. */
  onChange(listener: (change: EmulatorChange) => void): () => void;
  /** Starts the demo activity loop (random start/stop/restart, check flips) every `intervalMs`. */
  startActivity(intervalMs?: number): void;
  stopActivity(): void;
  /** The apps' log lines (`GET /api/v1/apps/{app}/logs`); tests append their own. */
  readonly logs: LogStore;
  /** HTTP requests served per route id (e.g. `machines.list`). */
  requestCounts(): Record<string, number>;
  resetRequestCounts(): void;
  /** Managed Postgres state, for tests and the demo seed. */
  readonly postgres: PostgresControl;
}

const DEFAULT_DELAYS: TransitionDelays = { start: 400, stop: 400, restart: 800, suspend: 600, destroy: 300, update: 800, create: 200 };

/** Creates an emulator. Nothing listens until {@link Emulator.start}. */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const clock = options.clock ?? systemClock;
  const token = options.token ?? `emu_${randomBytes(16).toString('hex')}`;
  const ids = createIdFactory(clock);
  const store = createStore(clock, options.org ?? 'personal');
  const waiters = createWaiters(clock);
  // Every new secrets version is announced as `secrets.changed` (the version only, never a name's value).
  const secrets = createSecretsStore((app, version) =>
    store.emitResource('secrets.changed', app, { kind: 'secrets', id: app, version: String(version) }),
  );
  const defaultRegion = 'iad';
  const lifecycle = createLifecycle({
    store,
    clock,
    ids,
    delays: { ...DEFAULT_DELAYS, ...options.delays },
    notify: waiters.notify,
    defaultRegion,
  });
  const ctx: RouteContext = { store, lifecycle, waiters, clock, ids, owner: 'emulator@flygate.local', defaultRegion, secrets };
  // Managed Postgres keeps its own store; each status change of a cluster becomes a `postgres.changed` notice. A
  // cluster belongs to an org, not an app: the notice names the scope `postgres:<clusterId>` as its app, which is
  // what the gateway's cache tags and the cluster's subscription follow. The version counts the cluster's changes, so
  // a status it had before (ready, failed, ready) is not taken for a duplicate of the earlier notice.
  const announce = (c: PostgresClusterRecord) =>
    store.emitResource('postgres.changed', `postgres:${c.id}`, {
      kind: 'postgres',
      id: c.id,
      state: c.status,
      version: String(c.changes),
      org: c.org,
    });
  const pg = createPostgresStore({ clock, ids, delayMs: options.postgresDelayMs ?? 1500, onStatus: announce });
  const postgres = createPostgresControl(store, pg, (id) => {
    const c = pg.clusters.get(id);
    if (c) announce(c);
  });
  const certificates = createCertificates(ctx, { issueDelayMs: options.certificateIssueMs ?? 1500 });
  const logs = createLogStore(store, clock);
  const handlers: Handlers = {
    ...appRoutes(ctx),
    ...machineRoutes(ctx),
    ...machineActionRoutes(ctx),
    ...waitRoutes(ctx),
    ...machineInfoRoutes(ctx),
    ...leaseRoutes(ctx),
    ...metadataRoutes(ctx),
    ...volumeRoutes(ctx),
    ...orgRoutes(ctx),
    ...platformRoutes(ctx),
    ...graphqlRoutes(ctx),
    ...metricsRoutes(ctx),
    ...postgresRoutes(ctx, pg),
    ...certificateRoutes(ctx, certificates),
    ...ipAssignmentRoutes(ctx),
    ...secretRoutes(ctx),
    ...logRoutes(ctx, logs),
  };
  const faults = createFaultInjector(options.random);
  const counts = new Map<string, number>();
  const control = createControl(ctx, certificates);
  const seeded = new Set<string>();
  const tokens = createTokenRegistry(token);
  if (options.seed === 'demo') {
    seedDemo(control);
    seedPostgres(postgres, pg);
    for (const name of store.apps.keys()) seeded.add(name);
    for (const [scoped, apps] of Object.entries(DEMO_TENANT_TOKENS)) tokens.grant(scoped, apps);
  }
  for (const [scoped, apps] of Object.entries(options.scopedTokens ?? {})) tokens.grant(scoped, apps);
  for (const [scoped, apps] of Object.entries(options.readOnlyTokens ?? {})) tokens.grant(scoped, apps, { readOnly: true });
  // Exec, placements and tokens (the token routes mint and check tokens in the registry above).
  Object.assign(handlers, execRoutes(ctx), placementRoutes(ctx), tokenRoutes(ctx, tokens));
  // Several organizations: the current token's orgs are those it reaches (replaces the single-org answer).
  Object.assign(handlers, currentTokenRoutes(ctx, tokens));
  const activity = createActivityLoop(store, lifecycle, clock, {
    random: options.random,
    appFilter: (app) => seeded.size === 0 || seeded.has(app),
  });
  const listener = createRequestListener({
    handlers,
    clock,
    ids,
    faults,
    counts,
    authorize: (header) => tokens.authorize(header),
    mayWrite: (header) => tokens.mayWrite(header),
    rateLimiter: options.rateLimit ? createRateLimiter(clock) : undefined,
  });

  // The demo's traffic: a request line from a started machine of each demo app, a few times a second.
  let serving: ReturnType<Clock['setTimeout']> | undefined;
  const serveLoop = (intervalMs: number) => {
    logs.serve(options.random ?? Math.random, (app) => seeded.size === 0 || seeded.has(app));
    serving = clock.setTimeout(() => serveLoop(intervalMs), intervalMs);
  };
  const stopServing = () => {
    if (serving !== undefined) clock.clearTimeout(serving);
    serving = undefined;
  };

  let server: Server | undefined;
  let url = '';
  let natsRelay: NatsLogRelay | undefined;
  const sockets = new Set<Socket>();

  return {
    async start(opts = {}) {
      if (server) return url;
      const host = opts.host ?? '127.0.0.1';
      const s = createServer(listener);
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(opts.port ?? 0, host, () => resolve());
      });
      server = s;
      if (options.natsUrl) natsRelay = await startNatsLogRelay(logs, options.natsUrl);
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      return url;
    },
    async stop() {
      activity.stop();
      stopServing();
      await natsRelay?.stop();
      natsRelay = undefined;
      waiters.dispose();
      // A stopped emulator must not keep mutating state (and emitting notices) from pending transitions.
      lifecycle.dispose();
      pg.dispose();
      certificates.dispose();
      const s = server;
      server = undefined;
      url = '';
      if (!s) return;
      // Hung and long-polling requests would keep close() waiting forever.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    get url() {
      return url;
    },
    token,
    tokens: { grant: (t, apps, grantOptions) => tokens.grant(t, apps, grantOptions), revoke: (t) => tokens.revoke(t) },
    clock,
    control,
    faults,
    onChange: (listener) => store.onChange(listener),
    startActivity: (intervalMs) => {
      activity.start(intervalMs);
      if (serving === undefined) serving = clock.setTimeout(() => serveLoop(1000), 1000);
    },
    stopActivity: () => {
      activity.stop();
      stopServing();
    },
    logs,
    requestCounts: () => Object.fromEntries(counts),
    resetRequestCounts: () => counts.clear(),
    postgres,
  };
}
