import { LRUCache } from 'lru-cache';
import { isFlyApiError, FlyErrorCode } from '../flyio/errors.js';
import type { FlyClient } from '../flyio/types.js';
import type { Clock, TimerHandle } from '../lib/clock.js';
import type { DeploymentService } from './deploy/deployment-service.js';
import type { EventsService } from './events/events-service.js';
import type { HealthService } from './health.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createMachineUseCases, type MachineUseCases } from './machines/machine-use-cases.js';
import type { LogStreams } from './logs/log-streams.js';
import { bindLogs, type LogsService } from './logs/logs-service.js';

/** Long-lived use cases shared by all requests of one gateway. */
export interface Services {
  fly: FlyClient;
  health: HealthService;
  /** Filtered event streams for subscriptions. */
  events: EventsService;
  /** Machine mutations (create, lifecycle, leases, metadata). */
  machines: MachineUseCases;
  /** Rolling updates of an app's machines (one per app at a time), stored so any instance can report them. */
  deployments: DeploymentService;
  /** Fresh per-request loaders. */
  createLoaders(signal?: AbortSignal): Loaders;
  /** App logs: history and the live stream, as this caller's tenant sees them (absent where none was wired). */
  logs?: LogsService;
  /** The same services for one caller: its own Fly token and tenant where it has one, else these very services. */
  forCaller(tenancy: Tenancy): Services;
  /**
   * Only on a caller's services in fly-token mode: whether its token can read `app`, asked of Fly now (never the
   * cache). Fly's 404 or 401/403 mean no; other failures are thrown.
   */
  canReadApp?(app: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Only on a caller's services in fly-token mode: whether its token may change `app`, asked of Fly now with a lease
   * request on `machineId`, a machine someone else holds (a deployment's): Fly answers a writer "held" (409) and a
   * token that may only read 401, so nothing changes either way (a lease that happened to be free is given back).
   */
  canWriteApp?(app: string, machineId: string, signal?: AbortSignal): Promise<boolean>;
  /**
   * Only with `canReadApp`: a signal that aborts (reason {@link ACCESS_REVOKED}) once a periodic check finds the
   * token can no longer read `app`; checks stop when `until` aborts. A check that fails otherwise keeps access.
   */
  watchAppAccess?(app: string, until: AbortSignal): AbortSignal;
}

/** Abort reason of {@link Services.watchAppAccess} when the token lost access to the app. */
export const ACCESS_REVOKED = 'access-revoked';

/** Whose Fly token a caller's calls use: the partition key, and the caller's own token in fly-token mode. */
export interface Tenancy {
  tenant: string;
  flyAuthorization?: string;
  /** Who is calling (an API key's name): Fly's rate budget is shared fairly between names. */
  name?: string;
}

/** The views of Fly one caller gets: through the read cache under its tenant, straight to Fly, and for rollouts. */
export interface CallerFly {
  cached: FlyClient;
  direct: FlyClient;
  /** Straight to Fly, dropping the cache entries its writes change: what the caller's deployments run with. */
  rollouts: FlyClient;
}

async function appReadable(fly: FlyClient, app: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await fly.apps.get(app, signal ? { signal } : undefined);
    return true;
  } catch (error) {
    if (isFlyApiError(error) && (error.code === FlyErrorCode.NotFound || error.code === FlyErrorCode.Unauthorized)) return false;
    throw error;
  }
}

async function appWritable(fly: FlyClient, app: string, machineId: string, signal?: AbortSignal): Promise<boolean> {
  try {
    const lease = await fly.machines.acquireLease({ app, machineId, ttlSeconds: 5, description: 'flygate write check' }, { signal });
    if (lease.nonce) await fly.machines.releaseLease({ app, machineId, nonce: lease.nonce }).catch(() => undefined);
    return true;
  } catch (error) {
    if (!isFlyApiError(error)) throw error;
    if (error.code === FlyErrorCode.LeaseHeld) return true;
    if (error.code === FlyErrorCode.NotFound || error.code === FlyErrorCode.Unauthorized) return false;
    throw error;
  }
}

function watchAccess(fly: FlyClient, app: string, until: AbortSignal, access?: { clock: Clock; recheckMs: number }): AbortSignal {
  const revoked = new AbortController();
  if (!access || until.aborted) return revoked.signal;
  const { clock, recheckMs } = access;
  let timer: TimerHandle | undefined;
  const schedule = () => {
    timer = clock.setTimeout(() => {
      appReadable(fly, app, until).then(
        (readable) => {
          if (until.aborted) return;
          if (readable) schedule();
          else revoked.abort(ACCESS_REVOKED);
        },
        // Fly unreachable is not a revocation: the next check decides.
        () => {
          if (!until.aborted) schedule();
        },
      );
    }, recheckMs);
  };
  until.addEventListener('abort', () => clock.clearTimeout(timer!), { once: true });
  schedule();
  return revoked.signal;
}

/** Wires the services from their dependencies. */
export function createServices({
  fly,
  health,
  events,
  deployments,
  callerFly,
  namedFly,
  access,
  logs,
}: {
  fly: FlyClient;
  health: HealthService;
  events: EventsService;
  deployments: DeploymentService;
  /** Builds a fly-token caller's Fly views from its token and tenant (absent: every caller uses `fly`). */
  callerFly?: (tenancy: Tenancy & { flyAuthorization: string }) => CallerFly;
  /**
   * The same client with every call made for the caller `name` (its share of Fly's rate budget). Absent: callers
   * of the gateway's token are not told apart.
   */
  namedFly?: (fly: FlyClient, name: string) => FlyClient;
  /** Schedules access re-checks of open subscriptions, every `recheckMs`. */
  access?: { clock: Clock; recheckMs: number };
  /** Live logs of this instance and the gateway's own tenant (callers of its token share its streams). */
  logs?: { streams: LogStreams; tenant: string };
}): Services {
  const shared: Omit<Services, 'fly' | 'machines' | 'createLoaders' | 'forCaller'> = { health, events, deployments };
  const withFly = (own: FlyClient): Omit<Services, 'forCaller'> => ({
    ...shared,
    fly: own,
    machines: createMachineUseCases({ fly: own }),
    createLoaders: (signal) => createLoaders({ fly: own, signal }),
    ...(logs ? { logs: bindLogs(logs.streams, logs.tenant, own) } : {}),
  });
  // Callers of the gateway's token differ only in their name; their services are built once per name (a few keys).
  const named = new LRUCache<string, Services>({ max: 1_000 });
  const services: Services = {
    ...withFly(fly),
    forCaller: (tenancy) => {
      if (!tenancy.flyAuthorization || !callerFly) {
        if (tenancy.name === undefined || !namedFly) return services;
        let own = named.get(tenancy.name);
        if (!own) named.set(tenancy.name, (own = { ...withFly(namedFly(fly, tenancy.name)), forCaller: services.forCaller }));
        return own;
      }
      const views = callerFly({ tenant: tenancy.tenant, flyAuthorization: tenancy.flyAuthorization, name: tenancy.name });
      const own: Services = {
        ...withFly(views.cached),
        // A rollout acts with the caller's own authority: a token Fly lets only read cannot lease or update.
        deployments: { ...deployments, deploy: (input, options) => deployments.deploy(input, { ...options, fly: views.rollouts }) },
        forCaller: services.forCaller,
        canReadApp: (app, signal) => appReadable(views.direct, app, signal),
        canWriteApp: (app, machineId, signal) => appWritable(views.direct, app, machineId, signal),
        watchAppAccess: (app, until) => watchAccess(views.direct, app, until, access),
        // A stream of its own tenant: shared only with callers of the same token, polled with that token.
        ...(logs ? { logs: bindLogs(logs.streams, tenancy.tenant, views.direct) } : {}),
      };
      return own;
    },
  };
  return services;
}
