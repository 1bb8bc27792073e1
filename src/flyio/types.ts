/**
 * The public surface of the Fly Machines client. Services and the sync job depend on these interfaces only;
 * `createFlyClient` (client.ts) is the one implementation. Inputs are camelCase; results are Fly's wire shapes
 * (snake_case) parsed by the zod schemas in `wire/`, so nothing above this layer touches raw JSON.
 */
import type { FlyApp, FlyCreateAppResponse } from './wire/app.js';
import type { FlyLease, FlyMachine, FlyMachineConfig, FlyMachineEvent, FlyOrgMachinesResponse, FlyWaitResponse } from './wire/machine.js';
import type { FlyCurrentTokenResponse, FlyRegionsResponse } from './wire/platform.js';
import type { FlyExtendVolumeResponse, FlyVolume, FlyVolumeSnapshot } from './wire/volume.js';

/** Per-call options every method accepts. */
export interface CallOptions {
  /** Overrides the client's default deadline for this call, in milliseconds. */
  deadlineMs?: number;
  /** Aborts the call (the caller's request went away). */
  signal?: AbortSignal;
  /** Lease nonce, sent as `fly-machine-lease-nonce` on mutations of a leased machine. */
  leaseNonce?: string;
  /**
   * A caller's own Fly token (with or without its `Bearer`/`FlyV1` scheme), sent instead of the client's token for
   * this call, redacted like it, and spending a rate budget of its own. Never stored.
   */
  authorization?: string;
  /**
   * Who the call is made for (an API key's name, a Fly token's fingerprint). Fly's rate budget of each action and
   * scope is shared fairly between the callers using it; calls without one spend the gateway's own share.
   */
  caller?: string;
}

/** One page of a cursor-paginated list. `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
  /** Only for apps: Fly's `total_apps`. */
  totalCount?: number;
}

export interface ListAppsInput {
  org: string;
  limit?: number;
  cursor?: string;
  appRole?: string;
}

export interface CreateAppInput {
  name: string;
  org: string;
  network?: string;
  enableSubdomains?: boolean;
}

/** Apps resource. */
export interface AppsApi {
  list(input: ListAppsInput, options?: CallOptions): Promise<Page<FlyApp>>;
  /** Follows `next_cursor` to the end. */
  listAll(input: Omit<ListAppsInput, 'cursor'>, options?: CallOptions): Promise<FlyApp[]>;
  get(app: string, options?: CallOptions): Promise<FlyApp>;
  create(input: CreateAppInput, options?: CallOptions): Promise<FlyCreateAppResponse>;
  delete(app: string, options?: CallOptions): Promise<void>;
}

export interface ListMachinesInput {
  app: string;
  state?: string[];
  region?: string;
  metadata?: Record<string, string>;
  includeDeleted?: boolean;
  includeLeases?: boolean;
  summary?: boolean;
  limit?: number;
  cursor?: string;
}

export interface CreateMachineInput {
  app: string;
  config: FlyMachineConfig;
  name?: string;
  region?: string;
  skipLaunch?: boolean;
  leaseTtlSeconds?: number;
  /** Fly's `min_secrets_version`: the machine starts with at least this version of the app's secrets. */
  minSecretsVersion?: number;
}

export interface UpdateMachineInput {
  app: string;
  machineId: string;
  config: FlyMachineConfig;
  /** Optimistic concurrency: Fly answers 409 when the machine's version differs. */
  currentVersion?: string;
  skipLaunch?: boolean;
  /** Fly's `min_secrets_version`: the new version runs with at least this version of the app's secrets. */
  minSecretsVersion?: number;
}

export interface MachineRef {
  app: string;
  machineId: string;
}

export interface StopMachineInput extends MachineRef {
  /** Signal sent first (Fly's default is the image's stop signal, else SIGINT). */
  signal?: string;
  /** Seconds between the signal and a forced kill (sent to Fly as a Go duration). */
  timeoutSeconds?: number;
}

export type RestartMachineInput = StopMachineInput;

export interface DestroyMachineInput extends MachineRef {
  force?: boolean;
}

export type WaitState = 'started' | 'stopped' | 'suspended' | 'destroyed' | 'failed' | 'settled';

export interface WaitMachineInput extends MachineRef {
  state?: WaitState | WaitState[];
  version?: string;
  fromEventId?: string;
  /** Total seconds to wait; values above 60 are served by chaining Fly's 60 s waits. */
  timeoutSeconds?: number;
}

/** Result of `wait`: reached, or not within the timeout (Fly's 408). */
export type WaitResult = ({ reached: true } & FlyWaitResponse) | { reached: false };

export interface AcquireLeaseInput extends MachineRef {
  ttlSeconds?: number;
  description?: string;
}

export interface SetMetadataInput extends MachineRef {
  key: string;
  value: string;
}

/** Machines resource (including leases and metadata). */
export interface MachinesApi {
  list(input: ListMachinesInput, options?: CallOptions): Promise<Page<FlyMachine>>;
  /** Follows `fly-next-cursor` to the end. */
  listAll(input: Omit<ListMachinesInput, 'cursor'>, options?: CallOptions): Promise<FlyMachine[]>;
  get(input: MachineRef & { version?: string; includeLeases?: boolean }, options?: CallOptions): Promise<FlyMachine>;
  create(input: CreateMachineInput, options?: CallOptions): Promise<FlyMachine>;
  update(input: UpdateMachineInput, options?: CallOptions): Promise<FlyMachine>;
  destroy(input: DestroyMachineInput, options?: CallOptions): Promise<void>;
  start(input: MachineRef, options?: CallOptions): Promise<void>;
  stop(input: StopMachineInput, options?: CallOptions): Promise<void>;
  restart(input: RestartMachineInput, options?: CallOptions): Promise<void>;
  suspend(input: MachineRef, options?: CallOptions): Promise<void>;
  signal(input: MachineRef & { signal: string }, options?: CallOptions): Promise<void>;
  cordon(input: MachineRef, options?: CallOptions): Promise<void>;
  uncordon(input: MachineRef, options?: CallOptions): Promise<void>;
  wait(input: WaitMachineInput, options?: CallOptions): Promise<WaitResult>;
  events(input: MachineRef & { limit?: number }, options?: CallOptions): Promise<FlyMachineEvent[]>;
  getMetadata(input: MachineRef, options?: CallOptions): Promise<Record<string, string>>;
  setMetadata(input: SetMetadataInput, options?: CallOptions): Promise<void>;
  deleteMetadata(input: MachineRef & { key: string }, options?: CallOptions): Promise<void>;
  /** Current lease, or `null` when the machine has none (Fly's 404). */
  getLease(input: MachineRef, options?: CallOptions): Promise<FlyLease | null>;
  /** Acquire; with `options.leaseNonce` this refreshes the caller's lease instead. */
  acquireLease(input: AcquireLeaseInput, options?: CallOptions): Promise<FlyLease>;
  releaseLease(input: MachineRef & { nonce: string }, options?: CallOptions): Promise<void>;
}

export interface CreateVolumeInput {
  app: string;
  name: string;
  region: string;
  sizeGb: number;
  encrypted?: boolean;
  snapshotId?: string;
  sourceVolumeId?: string;
}

/** Volumes resource. */
export interface VolumesApi {
  list(input: { app: string; limit?: number; cursor?: string }, options?: CallOptions): Promise<Page<FlyVolume>>;
  listAll(input: { app: string }, options?: CallOptions): Promise<FlyVolume[]>;
  get(input: { app: string; volumeId: string }, options?: CallOptions): Promise<FlyVolume>;
  create(input: CreateVolumeInput, options?: CallOptions): Promise<FlyVolume>;
  extend(input: { app: string; volumeId: string; sizeGb: number }, options?: CallOptions): Promise<FlyExtendVolumeResponse>;
  delete(input: { app: string; volumeId: string }, options?: CallOptions): Promise<FlyVolume>;
  snapshots(input: { app: string; volumeId: string }, options?: CallOptions): Promise<FlyVolumeSnapshot[]>;
  createSnapshot(input: { app: string; volumeId: string }, options?: CallOptions): Promise<void>;
}

export interface OrgMachinesInput {
  org: string;
  updatedAfter?: string;
  cursor?: string;
  limit?: number;
  includeDeleted?: boolean;
  summary?: boolean;
}

/** Organization-wide feeds. */
export interface OrgsApi {
  machines(input: OrgMachinesInput, options?: CallOptions): Promise<FlyOrgMachinesResponse>;
}

/** Platform catalogue. */
export interface PlatformApi {
  regions(options?: CallOptions): Promise<FlyRegionsResponse>;
}

/** Token introspection. */
export interface TokensApi {
  current(options?: CallOptions): Promise<FlyCurrentTokenResponse>;
}

/** One finished upstream call, for metrics and benchmarks. Never contains the token or headers. */
export interface FlyCallRecord {
  /** Logical operation name, e.g. `machines.list`. */
  operation: string;
  method: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  durationMs: number;
  /** 1 for the first try, 2+ for retries. */
  attempt: number;
}

/** The Fly Machines API client. */
export interface FlyClient {
  /** Calls any declared operation (src/flyio/operation.ts): how thin operations are reached, without a method of their own. */
  call<Input, Output>(
    operation: import('./operation.js').FlyOperation<Input, Output>,
    input: Input,
    options?: CallOptions,
  ): Promise<Output>;
  apps: AppsApi;
  machines: MachinesApi;
  volumes: VolumesApi;
  orgs: OrgsApi;
  platform: PlatformApi;
  tokens: TokensApi;
  /** Closes the client's own connection pool (not an injected dispatcher). */
  close(): Promise<void>;
}

/** Options for `createFlyClient`. Validated in the factory with precise messages. */
export interface FlyClientOptions {
  /** Base URL without `/v1`, e.g. `https://api.machines.dev`. */
  baseUrl: string;
  /**
   * Base URL of Fly's platform API (logs, metrics, releases: `api.fly.io`), without `/api`; declarations with
   * `api: 'platform'` are sent there. @default 'https://api.fly.io'
   */
  platformBaseUrl?: string;
  /** Fly token; macaroons (`fm1r_`, `fm1a_`, `fm2_`) are sent as `FlyV1`, others as `Bearer`. */
  token: string;
  /** undici dispatcher (Agent, Pool, MockAgent); by default the client owns a keep-alive Agent. */
  dispatcher?: import('undici').Dispatcher;
  /** Default deadline per call, covering retries, in ms. @default 10000 */
  deadlineMs?: number;
  /** Retry policy for safe methods. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Client-side rate budgets mirroring Fly's documented limits. @default true */
  rateLimit?: boolean;
  /** The budget to spend when `rateLimit` is on, e.g. one shared through Redis. @default an in-process budget */
  rateBudget?: import('./rate-limit.js').RateBudget;
  /** Called once per HTTP attempt. */
  onCall?: (record: FlyCallRecord) => void;
  /**
   * Called after each call made with a caller's own token (`CallOptions.authorization`), with the token's
   * fingerprint (never the token): `accepted` when Fly authenticated it, `rejected` when Fly refused it on a read.
   */
  onCallerToken?: (fingerprint: string, verdict: 'accepted' | 'rejected') => void;
  /** Time source for backoff and rate budgets; tests inject a manual clock. */
  clock?: import('../lib/clock.js').Clock;
  /** Random source in [0, 1) for jitter. @default Math.random */
  random?: () => number;
  /** `User-Agent` header. */
  userAgent?: string;
  /** A tracer and propagator: one span per call, sent on to Fly as `traceparent`. @default no tracing */
  tracing?: import('./call-span.js').FlyTracing;
}
