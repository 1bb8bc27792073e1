/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type AcquireMachineLeaseInput = {
  /** App name. */
  app: string;
  /** Why the lease is held, shown to others. */
  description?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  /** How long the lease lasts unless refreshed (Fly default 30 s). */
  ttlSeconds?: number | null | undefined;
};

/** A one-word summary of an app's machines and their checks. */
export type AppHealthStatus =
  /** Machines are started, but some check is not passing or some machine failed. */
  | 'DEGRADED'
  /** No machine is started and at least one failed. */
  | 'DOWN'
  /** The app has no machines. */
  | 'EMPTY'
  /** At least one machine is started and every check of every started machine passes. */
  | 'HEALTHY'
  /** No machine is started and none failed (e.g. stopped by autostop). */
  | 'IDLE';

/** Status of a machine health check. */
export type CheckStatusValue =
  | 'CRITICAL'
  | 'PASSING'
  | 'UNKNOWN'
  | 'WARNING';

export type CordonMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
};

export type CreateMachineInput = {
  app: string;
  config: MachineConfigInput;
  name?: string | null | undefined;
  /** Region code; Fly picks one when omitted. */
  region?: string | null | undefined;
  /** Create without booting. */
  skipLaunch?: boolean | null | undefined;
  wait?: WaitInput | null | undefined;
};

export type DeleteMachineMetadataInput = {
  /** App name. */
  app: string;
  key: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
};

export type DeployAppInput = {
  app: string;
  config?: DeploymentConfigPatchInput | null | undefined;
  /** Image reference, e.g. registry.fly.io/demo-web:v43. */
  image: string;
  /** Started machines down at once: a fraction below 1 (of the started machines, at least one), or a whole count. */
  maxUnavailable?: number | null | undefined;
  /** The secrets version to roll out (from `setSecrets`/`unsetSecrets`): every machine is updated with at least this version of the app's secrets; Fly refuses a version the app does not have. */
  secretsVersion?: number | null | undefined;
  strategy?: DeploymentStrategy | null | undefined;
  /** Per machine: how long to wait for it to start and pass its checks. */
  waitTimeoutSeconds?: number | null | undefined;
};

/** Config changes applied to every machine with the new image. env and metadata, when given, replace the whole map. */
export type DeploymentConfigPatchInput = {
  /** Fly's checks object: name -> check. */
  checks?: unknown;
  env?: Array<EnvVarInput> | null | undefined;
  /** Any other config keys, verbatim. */
  extra?: unknown;
  metadata?: Array<MetadataEntryInput> | null | undefined;
};

export type DeploymentMachineRole =
  /** BLUEGREEN: an existing machine, destroyed once green is healthy. */
  | 'BLUE'
  /** Updated in place. */
  | 'EXISTING'
  /** BLUEGREEN: a machine created by the deployment. */
  | 'GREEN';

export type DeploymentProgressKind =
  /** The final status; the last message. */
  | 'STATUS'
  | 'STEP';

export type DeploymentStatus =
  /** Cancelled; the machines already changed went back to their previous config. */
  | 'CANCELLED'
  /** A machine failed and the previous state could not be fully restored; see the steps. */
  | 'FAILED'
  /** The gateway instance running it stopped; its leases are released or have expired. Machines may be on either version. */
  | 'INTERRUPTED'
  /** Leases taken; nothing changed yet. */
  | 'PENDING'
  /** A machine failed; every changed machine is back on its previous config (BLUEGREEN: green destroyed, blue untouched). */
  | 'ROLLED_BACK'
  | 'ROLLING_BACK'
  | 'RUNNING'
  | 'SUCCEEDED';

export type DeploymentStepKind =
  | 'FAILED'
  | 'HEALTHY'
  | 'LEASED'
  | 'ROLLED_BACK'
  | 'UPDATING'
  | 'WAITING_FOR_CHECKS'
  | 'WAITING_FOR_START';

/** How a deployment replaces the machines of an app. */
export type DeploymentStrategy =
  /** New (green) machines are created cordoned next to the old (blue) ones; once all are healthy green is uncordoned and blue destroyed. */
  | 'BLUEGREEN'
  /** One machine, healthy, then all the others at once. */
  | 'CANARY'
  /** Every machine at once, without waiting for it to start or pass checks. */
  | 'IMMEDIATE'
  /** One machine alone, then pools of started machines sized by maxUnavailable; each must start and pass its checks. */
  | 'ROLLING';

export type DestroyMachineInput = {
  /** App name. */
  app: string;
  /** Destroy even if the machine is running. */
  force?: boolean | null | undefined;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  wait?: WaitInput | null | undefined;
};

export type EnvVarInput = {
  name: string;
  value: string;
};

/** Who caused a machine event: the platform (FLYD) or an API user (USER). */
export type EventSource =
  | 'FLYD'
  | 'UNKNOWN'
  | 'USER';

/** CPU and memory sizing; omitted fields keep their current value on update. */
export type GuestInput = {
  cpuKind?: string | null | undefined;
  cpus?: number | null | undefined;
  gpuKind?: string | null | undefined;
  gpus?: number | null | undefined;
  memoryMb?: number | null | undefined;
};

/** Machine config. On update only the fields given change; env and metadata, when given, replace the whole map. */
export type MachineConfigInput = {
  autoDestroy?: boolean | null | undefined;
  /** Fly's checks object: name -> check. */
  checks?: unknown;
  env?: Array<EnvVarInput> | null | undefined;
  /** Any other config keys, verbatim (typed fields win). */
  extra?: unknown;
  guest?: GuestInput | null | undefined;
  image?: string | null | undefined;
  metadata?: Array<MetadataEntryInput> | null | undefined;
  mounts?: Array<MountInput> | null | undefined;
  restart?: RestartInput | null | undefined;
  /** Fly's services array, as in the Machines API. */
  services?: unknown;
};

/** Lifecycle state of a Fly Machine (see Fly's "Machine states and lifecycle"). */
export type MachineState =
  | 'CREATED'
  | 'DESTROYED'
  | 'DESTROYING'
  | 'FAILED'
  | 'LAUNCH_FAILED'
  | 'MIGRATED'
  | 'REPLACED'
  | 'REPLACING'
  | 'RESTARTING'
  | 'STARTED'
  | 'STARTING'
  | 'STOPPED'
  | 'STOPPING'
  | 'SUSPENDED'
  | 'SUSPENDING'
  | 'UNKNOWN'
  | 'UPDATING';

export type MetadataEntryInput = {
  key: string;
  value: string;
};

/** Only machines whose metadata has this key set to this value (several filters must all match). */
export type MetadataFilter = {
  key: string;
  value: string;
};

export type MountInput = {
  path: string;
  /** Volume id (vol_...). */
  volume: string;
};

export type RefreshMachineLeaseInput = {
  /** App name. */
  app: string;
  /** Fly machine id. */
  machineId: string;
  /** The nonce returned when the lease was acquired. */
  nonce: string;
  ttlSeconds?: number | null | undefined;
};

export type ReleaseMachineLeaseInput = {
  /** App name. */
  app: string;
  /** Fly machine id. */
  machineId: string;
  nonce: string;
};

export type RestartInput = {
  maxRetries?: number | null | undefined;
  policy: RestartPolicy;
};

export type RestartMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  /** Signal used to stop the process before starting it again. */
  signal?: Signal | null | undefined;
  /** Seconds between the signal and a forced kill. */
  timeoutSeconds?: number | null | undefined;
  wait?: WaitInput | null | undefined;
};

/** What Fly does when a machine's main process exits. */
export type RestartPolicy =
  /** Always restart, even after a clean exit. */
  | 'ALWAYS'
  /** Never restart automatically. */
  | 'NO'
  /** Restart after a non-zero exit, up to maxRetries times. */
  | 'ON_FAILURE'
  /** Restart when spot capacity is available again. */
  | 'SPOT_PRICE';

export type SetMachineMetadataInput = {
  /** App name. */
  app: string;
  key: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  value: string;
};

/** A Unix signal Fly can deliver to a machine's main process. */
export type Signal =
  | 'SIGABRT'
  | 'SIGALRM'
  | 'SIGFPE'
  | 'SIGHUP'
  | 'SIGILL'
  | 'SIGINT'
  | 'SIGKILL'
  | 'SIGPIPE'
  | 'SIGQUIT'
  | 'SIGSEGV'
  | 'SIGTERM'
  | 'SIGTRAP'
  | 'SIGUSR1'
  | 'SIGUSR2';

export type SignalMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  signal: Signal;
};

export type StartMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  wait?: WaitInput | null | undefined;
};

export type StopMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  /** Signal to send first (default: the image's stop signal, else SIGINT). */
  signal?: Signal | null | undefined;
  /** Seconds between the signal and a forced kill. */
  timeoutSeconds?: number | null | undefined;
  wait?: WaitInput | null | undefined;
};

export type SuspendMachineInput = {
  /** App name. */
  app: string;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  wait?: WaitInput | null | undefined;
};

export type UpdateMachineInput = {
  /** App name. */
  app: string;
  config: MachineConfigInput;
  /** Only update if the machine is still at this version. */
  currentVersion?: string | null | undefined;
  /** The lease nonce, when the machine is leased by the caller. */
  leaseNonce?: string | null | undefined;
  /** Fly machine id. */
  machineId: string;
  /** Apply without booting (a running machine is left stopped). */
  skipLaunch?: boolean | null | undefined;
  wait?: WaitInput | null | undefined;
};

/** Wait (using Fly's wait) until the machine reaches the mutation's target state, at most timeoutSeconds (max 300). */
export type WaitInput = {
  timeoutSeconds?: number | null | undefined;
};

/** A state a mutation can wait for (SETTLED: any state that is not a transition). */
export type WaitState =
  | 'DESTROYED'
  | 'FAILED'
  | 'SETTLED'
  | 'STARTED'
  | 'STOPPED'
  | 'SUSPENDED';

export type AppDetailQueryVariables = Exact<{
  name: string;
}>;


export type AppDetailQuery = { app: { id: string, name: string, status: string | null, network: string | null, machineCount: number | null, volumeCount: number | null, organization: { id: string, slug: string } | null, health: { status: AppHealthStatus, machineCount: number, machinesByState: Array<{ state: MachineState, count: number }>, checks: { passing: number, warning: number, critical: number, unknown: number } }, machines: { nodes: Array<{ machineId: string, state: MachineState }> }, volumes: { nodes: Array<{ volumeId: string }> } } | null };

export type OrganizationAppsQueryVariables = Exact<{
  slug?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type OrganizationAppsQuery = { organization: { id: string, slug: string, name: string | null, apps: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, nodes: Array<{ name: string }> } } | null };

export type DashboardQueryVariables = Exact<{
  eventLimit?: number | null | undefined;
}>;


export type DashboardQuery = { apps: { nodes: Array<{ id: string, name: string, status: string | null, health: { status: AppHealthStatus, machineCount: number }, machines: { nodes: Array<{ id: string, machineId: string, name: string | null, state: MachineState, region: string | null, image: string | null, checks: Array<{ name: string, status: CheckStatusValue }>, events: Array<{ id: string, type: string, status: string | null, source: EventSource, timestamp: string }> }> } }> } };

export type DeploymentStepFieldsFragment = { seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null };

export type DeploymentFieldsFragment = { id: string, app: string, image: string, strategy: DeploymentStrategy, status: DeploymentStatus, error: string | null, maxUnavailable: number, waitTimeoutSeconds: number, createdAt: string, updatedAt: string, finishedAt: string | null, heartbeatAt: string, machines: Array<{ machineId: string, region: string | null, role: DeploymentMachineRole, skipLaunch: boolean, previousVersion: string | null, targetVersion: string | null, previousImage: string | null, targetImage: string, steps: Array<{ seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null }> }> };

export type DeployAppMutationVariables = Exact<{
  input: DeployAppInput;
}>;


export type DeployAppMutation = { deployApp:
    | { __typename: 'DeployAppSuccess', deployment: { id: string, app: string, image: string, strategy: DeploymentStrategy, status: DeploymentStatus, error: string | null, maxUnavailable: number, waitTimeoutSeconds: number, createdAt: string, updatedAt: string, finishedAt: string | null, heartbeatAt: string, machines: Array<{ machineId: string, region: string | null, role: DeploymentMachineRole, skipLaunch: boolean, previousVersion: string | null, targetVersion: string | null, previousImage: string | null, targetImage: string, steps: Array<{ seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null }> }> } }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type CancelDeploymentMutationVariables = Exact<{
  id: string;
}>;


export type CancelDeploymentMutation = { cancelDeployment:
    | { __typename: 'CancelDeploymentSuccess', deployment: { id: string, status: DeploymentStatus } }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type DeploymentQueryVariables = Exact<{
  id: string;
}>;


export type DeploymentQuery = { deployment: { id: string, app: string, image: string, strategy: DeploymentStrategy, status: DeploymentStatus, error: string | null, maxUnavailable: number, waitTimeoutSeconds: number, createdAt: string, updatedAt: string, finishedAt: string | null, heartbeatAt: string, steps: Array<{ seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null }>, machines: Array<{ machineId: string, region: string | null, role: DeploymentMachineRole, skipLaunch: boolean, previousVersion: string | null, targetVersion: string | null, previousImage: string | null, targetImage: string, steps: Array<{ seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null }> }> } | null };

export type DeploymentProgressSubscriptionVariables = Exact<{
  id: string;
}>;


export type DeploymentProgressSubscription = { deploymentProgress: { kind: DeploymentProgressKind, deploymentId: string, status: DeploymentStatus | null, error: string | null, step: { seq: number, machineId: string, step: DeploymentStepKind, at: string, message: string | null } | null } };

type ErrorFields_AppNotEmptyError_Fragment = { __typename: 'AppNotEmptyError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_ExecTimeoutError_Fragment = { __typename: 'ExecTimeoutError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_ForbiddenError_Fragment = { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_InvalidInputError_Fragment = { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> };

type ErrorFields_InvalidStateError_Fragment = { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_LeaseHeldError_Fragment = { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_NameTakenError_Fragment = { __typename: 'NameTakenError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_NotFoundError_Fragment = { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_OutcomeUnknownError_Fragment = { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_RateLimitedError_Fragment = { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_UpstreamUnavailableError_Fragment = { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null };

type ErrorFields_VersionConflictError_Fragment = { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null };

export type ErrorFieldsFragment =
  | ErrorFields_AppNotEmptyError_Fragment
  | ErrorFields_ExecTimeoutError_Fragment
  | ErrorFields_ForbiddenError_Fragment
  | ErrorFields_InvalidInputError_Fragment
  | ErrorFields_InvalidStateError_Fragment
  | ErrorFields_LeaseHeldError_Fragment
  | ErrorFields_NameTakenError_Fragment
  | ErrorFields_NotFoundError_Fragment
  | ErrorFields_OutcomeUnknownError_Fragment
  | ErrorFields_RateLimitedError_Fragment
  | ErrorFields_UpstreamUnavailableError_Fragment
  | ErrorFields_VersionConflictError_Fragment
;

export type MachineSummaryFragment = { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null };

export type HealthQueryVariables = Exact<{ [key: string]: never; }>;


export type HealthQuery = { health: { ok: boolean, mode: string, checks: Array<{ name: string, ok: boolean, latencyMs: number, message: string | null }> } };

export type AcquireMachineLeaseMutationVariables = Exact<{
  input: AcquireMachineLeaseInput;
}>;


export type AcquireMachineLeaseMutation = { acquireMachineLease:
    | { __typename: 'AcquireMachineLeaseSuccess', nonce: string, lease: { owner: string | null, description: string | null, expiresAt: string | null, version: string | null }, machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type RefreshMachineLeaseMutationVariables = Exact<{
  input: RefreshMachineLeaseInput;
}>;


export type RefreshMachineLeaseMutation = { refreshMachineLease:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RefreshMachineLeaseSuccess', nonce: string, lease: { owner: string | null, expiresAt: string | null }, machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type ReleaseMachineLeaseMutationVariables = Exact<{
  input: ReleaseMachineLeaseInput;
}>;


export type ReleaseMachineLeaseMutation = { releaseMachineLease:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'ReleaseMachineLeaseSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type SetMachineMetadataMutationVariables = Exact<{
  input: SetMachineMetadataInput;
}>;


export type SetMachineMetadataMutation = { setMachineMetadata:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'SetMachineMetadataSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type DeleteMachineMetadataMutationVariables = Exact<{
  input: DeleteMachineMetadataInput;
}>;


export type DeleteMachineMetadataMutation = { deleteMachineMetadata:
    | { __typename: 'DeleteMachineMetadataSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type CreateMachineMutationVariables = Exact<{
  input: CreateMachineInput;
}>;


export type CreateMachineMutation = { createMachine:
    | { __typename: 'CreateMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type UpdateMachineMutationVariables = Exact<{
  input: UpdateMachineInput;
}>;


export type UpdateMachineMutation = { updateMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpdateMachineSuccess', machine: { image: string | null, id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type StartMachineMutationVariables = Exact<{
  input: StartMachineInput;
}>;


export type StartMachineMutation = { startMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'StartMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type StopMachineMutationVariables = Exact<{
  input: StopMachineInput;
}>;


export type StopMachineMutation = { stopMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'StopMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type RestartMachineMutationVariables = Exact<{
  input: RestartMachineInput;
}>;


export type RestartMachineMutation = { restartMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RestartMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type SuspendMachineMutationVariables = Exact<{
  input: SuspendMachineInput;
}>;


export type SuspendMachineMutation = { suspendMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'SuspendMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null }, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type DestroyMachineMutationVariables = Exact<{
  input: DestroyMachineInput;
}>;


export type DestroyMachineMutation = { destroyMachine:
    | { __typename: 'DestroyMachineSuccess', machineId: string, machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } | null, wait: { targetState: WaitState, reached: boolean, timeoutSeconds: number } | null }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type SignalMachineMutationVariables = Exact<{
  input: SignalMachineInput;
}>;


export type SignalMachineMutation = { signalMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'SignalMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type CordonMachineMutationVariables = Exact<{
  input: CordonMachineInput;
}>;


export type CordonMachineMutation = { cordonMachine:
    | { __typename: 'CordonMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type UncordonMachineMutationVariables = Exact<{
  input: CordonMachineInput;
}>;


export type UncordonMachineMutation = { uncordonMachine:
    | { __typename: 'ForbiddenError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'InvalidInputError', code: string, message: string, retryable: boolean, requestId: string | null, issues: Array<{ field: string, message: string }> }
    | { __typename: 'InvalidStateError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'LeaseHeldError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'NotFoundError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'OutcomeUnknownError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'RateLimitedError', retryAfterSeconds: number | null, code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'UncordonMachineSuccess', machine: { id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } }
    | { __typename: 'UpstreamUnavailableError', code: string, message: string, retryable: boolean, requestId: string | null }
    | { __typename: 'VersionConflictError', code: string, message: string, retryable: boolean, requestId: string | null }
   };

export type AppMachinesQueryVariables = Exact<{
  app: string;
  state?: Array<MachineState> | MachineState | null | undefined;
  region?: string | null | undefined;
  metadata?: Array<MetadataFilter> | MetadataFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AppMachinesQuery = { machines: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string }>, nodes: Array<{ machineId: string, state: MachineState, region: string | null, version: string | null }> } };

export type MachineDetailQueryVariables = Exact<{
  app: string;
  machineId: string;
  eventLimit?: number | null | undefined;
}>;


export type MachineDetailQuery = { machine: { name: string | null, image: string | null, cpus: number | null, memoryMb: number | null, privateIp: string | null, hostStatus: string | null, createdAt: string | null, updatedAt: string | null, id: string, machineId: string, appName: string, state: MachineState, region: string | null, version: string | null, cordoned: boolean, app: { name: string }, config: { image: string | null, envKeys: Array<string>, autoDestroy: boolean | null, raw: unknown, guest: { cpuKind: string | null, cpus: number | null, memoryMb: number | null } | null, services: Array<{ protocol: string | null, internalPort: number | null, autostop: string | null, autostart: boolean | null, ports: Array<{ port: number | null, handlers: Array<string> }> }>, checks: Array<{ name: string, type: string | null, port: number | null, path: string | null, interval: string | null }>, restart: { policy: RestartPolicy | null, maxRetries: number | null } | null, mounts: Array<{ volume: string | null, path: string | null }> }, events: Array<{ id: string, type: string, status: string | null, source: EventSource, timestamp: string, exitCode: number | null, oomKilled: boolean | null, requestedStop: boolean | null }>, checks: Array<{ name: string, status: CheckStatusValue, output: string | null, updatedAt: string | null }>, metadata: Array<{ key: string, value: string }>, lease: { owner: string | null, description: string | null, expiresAt: string | null } | null } | null };

export type MachineTwiceQueryVariables = Exact<{
  app: string;
  machineId: string;
}>;


export type MachineTwiceQuery = { first: { machineId: string, state: MachineState } | null, second: { machineId: string, region: string | null } | null };

export type RegionsQueryVariables = Exact<{ [key: string]: never; }>;


export type RegionsQuery = { regions: Array<{ id: string, code: string, name: string | null, latitude: number | null, longitude: number | null, requiresPaidPlan: boolean | null, deprecated: boolean | null }>, nearestRegion: { code: string } | null };

export type NodeByIdQueryVariables = Exact<{
  id: string | number;
}>;


export type NodeByIdQuery = { node:
    | { __typename: 'App', name: string, id: string }
    | { __typename: 'Machine', machineId: string, appName: string, state: MachineState, id: string }
    | { __typename: 'Organization', slug: string, id: string }
    | { __typename: 'Region', code: string, id: string }
    | { __typename: 'Volume', volumeId: string, appName: string, id: string }
   | null };

export type AppVolumesQueryVariables = Exact<{
  app: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AppVolumesQuery = { volumes: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, volumeId: string, appName: string, name: string | null, state: string | null, sizeGb: number | null, region: string | null, zone: string | null, encrypted: boolean | null, createdAt: string | null, attachedMachineId: string | null, attachedMachine: { machineId: string, state: MachineState } | null, snapshots: Array<{ id: string, status: string | null, sizeBytes: number | null, createdAt: string | null }> }> } };

export const DeploymentStepFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentStepFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeploymentStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]} as unknown as DocumentNode<DeploymentStepFieldsFragment, unknown>;
export const DeploymentFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deployment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"app"}},{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"strategy"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"maxUnavailable"}},{"kind":"Field","name":{"kind":"Name","value":"waitTimeoutSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"heartbeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"machines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"skipLaunch"}},{"kind":"Field","name":{"kind":"Name","value":"previousVersion"}},{"kind":"Field","name":{"kind":"Name","value":"targetVersion"}},{"kind":"Field","name":{"kind":"Name","value":"previousImage"}},{"kind":"Field","name":{"kind":"Name","value":"targetImage"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentStepFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentStepFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeploymentStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]} as unknown as DocumentNode<DeploymentFieldsFragment, unknown>;
export const ErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]} as unknown as DocumentNode<ErrorFieldsFragment, unknown>;
export const MachineSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<MachineSummaryFragment, unknown>;
export const AppDetailDocument = {"__meta__":{"hash":"sha256:b4143868fb57f38d1377b248064baa1bc4b1900324bb6e0a522f5cf41c80a12e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AppDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"name"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"app"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"name"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"network"}},{"kind":"Field","name":{"kind":"Name","value":"machineCount"}},{"kind":"Field","name":{"kind":"Name","value":"volumeCount"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"machineCount"}},{"kind":"Field","name":{"kind":"Name","value":"machinesByState"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"passing"}},{"kind":"Field","name":{"kind":"Name","value":"warning"}},{"kind":"Field","name":{"kind":"Name","value":"critical"}},{"kind":"Field","name":{"kind":"Name","value":"unknown"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"machines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"volumes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volumeId"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AppDetailQuery, AppDetailQueryVariables>;
export const OrganizationAppsDocument = {"__meta__":{"hash":"sha256:7dc2e06eb7df4377a49baf0cc33bd99e971ab05d0ad99c860404e60d9b6bb997"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OrganizationApps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"slug"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"slug"},"value":{"kind":"Variable","name":{"kind":"Name","value":"slug"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"slug"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"apps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<OrganizationAppsQuery, OrganizationAppsQueryVariables>;
export const DashboardDocument = {"__meta__":{"hash":"sha256:cac17a97a8118f5465b0f2e125eb7672278d50cc4a029a62216fff92c56c8d33"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dashboard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventLimit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"3"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"machineCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"machines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventLimit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DashboardQuery, DashboardQueryVariables>;
export const DeployAppDocument = {"__meta__":{"hash":"sha256:a3e04758111662a5f7e92c3f9e84c5e37249ca6f2d76d14fa79ece8856d84c4c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeployApp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeployAppInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployApp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeployAppSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentFields"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentStepFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeploymentStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deployment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"app"}},{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"strategy"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"maxUnavailable"}},{"kind":"Field","name":{"kind":"Name","value":"waitTimeoutSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"heartbeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"machines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"skipLaunch"}},{"kind":"Field","name":{"kind":"Name","value":"previousVersion"}},{"kind":"Field","name":{"kind":"Name","value":"targetVersion"}},{"kind":"Field","name":{"kind":"Name","value":"previousImage"}},{"kind":"Field","name":{"kind":"Name","value":"targetImage"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentStepFields"}}]}}]}}]}}]} as unknown as DocumentNode<DeployAppMutation, DeployAppMutationVariables>;
export const CancelDeploymentDocument = {"__meta__":{"hash":"sha256:e512b768aaba281c00899124f67df5a282fdc19c55ff204d394ece2d105052cd"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelDeployment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelDeployment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CancelDeploymentSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}}]} as unknown as DocumentNode<CancelDeploymentMutation, CancelDeploymentMutationVariables>;
export const DeploymentDocument = {"__meta__":{"hash":"sha256:195efee04c02e7de271ad610432275881e48e2f4059d74b6a7cb948f33a6e40b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Deployment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deployment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentFields"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentStepFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentStepFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeploymentStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Deployment"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"app"}},{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"strategy"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"maxUnavailable"}},{"kind":"Field","name":{"kind":"Name","value":"waitTimeoutSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"heartbeatAt"}},{"kind":"Field","name":{"kind":"Name","value":"machines"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"skipLaunch"}},{"kind":"Field","name":{"kind":"Name","value":"previousVersion"}},{"kind":"Field","name":{"kind":"Name","value":"targetVersion"}},{"kind":"Field","name":{"kind":"Name","value":"previousImage"}},{"kind":"Field","name":{"kind":"Name","value":"targetImage"}},{"kind":"Field","name":{"kind":"Name","value":"steps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentStepFields"}}]}}]}}]}}]} as unknown as DocumentNode<DeploymentQuery, DeploymentQueryVariables>;
export const DeploymentProgressDocument = {"__meta__":{"hash":"sha256:852537b7299cb3d6b1a424eba6b5d6cc442c736c5e16604fcfd225ebaf33a09a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DeploymentProgress"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deploymentProgress"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"deploymentId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"step"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DeploymentStepFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DeploymentStepFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeploymentStep"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]} as unknown as DocumentNode<DeploymentProgressSubscription, DeploymentProgressSubscriptionVariables>;
export const HealthDocument = {"__meta__":{"hash":"sha256:709adb147b9cd05fb60c5dfc73c7b8b6495c22a46ca3d8832ad9c87a5f5ede4f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"health"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ok"}},{"kind":"Field","name":{"kind":"Name","value":"latencyMs"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<HealthQuery, HealthQueryVariables>;
export const AcquireMachineLeaseDocument = {"__meta__":{"hash":"sha256:dc7ed049cbe9e5ffebbce5abd3512e1ef42d67db3fd18c155bff29688faef2f2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcquireMachineLease"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcquireMachineLeaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acquireMachineLease"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AcquireMachineLeaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nonce"}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<AcquireMachineLeaseMutation, AcquireMachineLeaseMutationVariables>;
export const RefreshMachineLeaseDocument = {"__meta__":{"hash":"sha256:de6ed7067146198b38bed74e021a81a50f45d018c6a6363c7ad75f72c9521f2e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshMachineLease"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshMachineLeaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshMachineLease"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshMachineLeaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nonce"}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<RefreshMachineLeaseMutation, RefreshMachineLeaseMutationVariables>;
export const ReleaseMachineLeaseDocument = {"__meta__":{"hash":"sha256:9f4057df4104215704329b8034883ca6281a242ab02286c505ba60a54b821e50"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReleaseMachineLease"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReleaseMachineLeaseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"releaseMachineLease"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReleaseMachineLeaseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<ReleaseMachineLeaseMutation, ReleaseMachineLeaseMutationVariables>;
export const SetMachineMetadataDocument = {"__meta__":{"hash":"sha256:d62e26fe2ddf9e5751e6ac4e9ee7033d49b912718fd8d2ca1c901f1383c6d0fa"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetMachineMetadata"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SetMachineMetadataInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setMachineMetadata"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SetMachineMetadataSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<SetMachineMetadataMutation, SetMachineMetadataMutationVariables>;
export const DeleteMachineMetadataDocument = {"__meta__":{"hash":"sha256:960186ac78be85ed5635014f2bfd99af689c758211dd04ad9b7f8602adfb638d"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteMachineMetadata"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteMachineMetadataInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteMachineMetadata"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteMachineMetadataSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<DeleteMachineMetadataMutation, DeleteMachineMetadataMutationVariables>;
export const CreateMachineDocument = {"__meta__":{"hash":"sha256:389e9de27aeb737d47c0321528fda88e7cb83e18762f072debf1b4f14ebfa695"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<CreateMachineMutation, CreateMachineMutationVariables>;
export const UpdateMachineDocument = {"__meta__":{"hash":"sha256:42fa27180bb1d69eb9527431bb32b3cf6f667ca84e2b5022d034df4ec2e6981c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}},{"kind":"Field","name":{"kind":"Name","value":"image"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<UpdateMachineMutation, UpdateMachineMutationVariables>;
export const StartMachineDocument = {"__meta__":{"hash":"sha256:33a46098365e09026049d9dce8ffb404801522b6b980476bc61297c46f660527"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StartMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StartMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StartMachineMutation, StartMachineMutationVariables>;
export const StopMachineDocument = {"__meta__":{"hash":"sha256:08f189eb0b4131cef078b9d7fd55222c433b348acb364069e32d3f2c88244b30"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"StopMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"StopMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StopMachineMutation, StopMachineMutationVariables>;
export const RestartMachineDocument = {"__meta__":{"hash":"sha256:88454dae398b6a397202c07617453a25363b48345ed9915d2533754b5f0cc124"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RestartMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RestartMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restartMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RestartMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<RestartMachineMutation, RestartMachineMutationVariables>;
export const SuspendMachineDocument = {"__meta__":{"hash":"sha256:081f7fe91b294a86a06672a3a0fbcc0d2a4d076a3ebf7ffc2725914276895efe"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SuspendMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SuspendMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suspendMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SuspendMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<SuspendMachineMutation, SuspendMachineMutationVariables>;
export const DestroyMachineDocument = {"__meta__":{"hash":"sha256:20f7ecd39292a5c56bc25d6dc4eba3c17bc179cc0df36a7d3d6930235faf12b0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DestroyMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DestroyMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"destroyMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DestroyMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wait"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"targetState"}},{"kind":"Field","name":{"kind":"Name","value":"reached"}},{"kind":"Field","name":{"kind":"Name","value":"timeoutSeconds"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<DestroyMachineMutation, DestroyMachineMutationVariables>;
export const SignalMachineDocument = {"__meta__":{"hash":"sha256:c01580b817bdad8beeee9a85af52f64ed1f7c7fa8bc03aa9bdce49dc76f4cffe"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignalMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignalMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"signalMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SignalMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<SignalMachineMutation, SignalMachineMutationVariables>;
export const CordonMachineDocument = {"__meta__":{"hash":"sha256:35ab2fce8512ceb6cebc870096f54a3aa6ab7ff715f02470045755ae2f4e7459"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CordonMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CordonMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cordonMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CordonMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<CordonMachineMutation, CordonMachineMutationVariables>;
export const UncordonMachineDocument = {"__meta__":{"hash":"sha256:53756ca879a9a40ac13786a404ec755a945bd9fa3681f4e40855dad1872bd313"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UncordonMachine"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CordonMachineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"uncordonMachine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"UncordonMachineSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"retryable"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"InvalidInputError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"issues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RateLimitedError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryAfterSeconds"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<UncordonMachineMutation, UncordonMachineMutationVariables>;
export const AppMachinesDocument = {"__meta__":{"hash":"sha256:4308c02394eb41d521ddd6f230fc10691fb4c063c015ec0eb361b65ca681b2ab"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AppMachines"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"state"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MachineState"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"region"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MetadataFilter"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machines"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"state"},"value":{"kind":"Variable","name":{"kind":"Name","value":"state"}}},{"kind":"Argument","name":{"kind":"Name","value":"region"},"value":{"kind":"Variable","name":{"kind":"Name","value":"region"}}},{"kind":"Argument","name":{"kind":"Name","value":"metadata"},"value":{"kind":"Variable","name":{"kind":"Name","value":"metadata"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]} as unknown as DocumentNode<AppMachinesQuery, AppMachinesQueryVariables>;
export const MachineDetailDocument = {"__meta__":{"hash":"sha256:abf8a42e46a482147ab2d48e8e2b42562e9496101f12f34b076af28634b29342"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MachineDetail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"machineId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"eventLimit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"machineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"machineId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MachineSummary"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"cpus"}},{"kind":"Field","name":{"kind":"Name","value":"memoryMb"}},{"kind":"Field","name":{"kind":"Name","value":"privateIp"}},{"kind":"Field","name":{"kind":"Name","value":"hostStatus"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"app"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"image"}},{"kind":"Field","name":{"kind":"Name","value":"guest"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cpuKind"}},{"kind":"Field","name":{"kind":"Name","value":"cpus"}},{"kind":"Field","name":{"kind":"Name","value":"memoryMb"}}]}},{"kind":"Field","name":{"kind":"Name","value":"services"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"protocol"}},{"kind":"Field","name":{"kind":"Name","value":"internalPort"}},{"kind":"Field","name":{"kind":"Name","value":"autostop"}},{"kind":"Field","name":{"kind":"Name","value":"autostart"}},{"kind":"Field","name":{"kind":"Name","value":"ports"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"handlers"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"port"}},{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"interval"}}]}},{"kind":"Field","name":{"kind":"Name","value":"restart"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"policy"}},{"kind":"Field","name":{"kind":"Name","value":"maxRetries"}}]}},{"kind":"Field","name":{"kind":"Name","value":"envKeys"}},{"kind":"Field","name":{"kind":"Name","value":"mounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volume"}},{"kind":"Field","name":{"kind":"Name","value":"path"}}]}},{"kind":"Field","name":{"kind":"Name","value":"autoDestroy"}},{"kind":"Field","name":{"kind":"Name","value":"raw"}}]}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"eventLimit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"exitCode"}},{"kind":"Field","name":{"kind":"Name","value":"oomKilled"}},{"kind":"Field","name":{"kind":"Name","value":"requestedStop"}}]}},{"kind":"Field","name":{"kind":"Name","value":"checks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"output"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MachineSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"cordoned"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"value"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lease"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<MachineDetailQuery, MachineDetailQueryVariables>;
export const MachineTwiceDocument = {"__meta__":{"hash":"sha256:95172a53fe1f749ecae8a369a399dc53b980990152652bd31a7745ad57c13113"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MachineTwice"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"machineId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"first"},"name":{"kind":"Name","value":"machine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"machineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"machineId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"second"},"name":{"kind":"Name","value":"machine"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"machineId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"machineId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"region"}}]}}]}}]} as unknown as DocumentNode<MachineTwiceQuery, MachineTwiceQueryVariables>;
export const RegionsDocument = {"__meta__":{"hash":"sha256:9b885fde7f88c7e4d90dc88baebcedcd72610c23bcec7b19e9251dff9ccfbf73"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Regions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"regions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}},{"kind":"Field","name":{"kind":"Name","value":"requiresPaidPlan"}},{"kind":"Field","name":{"kind":"Name","value":"deprecated"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nearestRegion"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]} as unknown as DocumentNode<RegionsQuery, RegionsQueryVariables>;
export const NodeByIdDocument = {"__meta__":{"hash":"sha256:16598d6a20644ef679ca36605ae773231014dd05ce5023a87a92fa56d5833f2e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"NodeById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"App"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Machine"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Volume"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volumeId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Organization"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"slug"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Region"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<NodeByIdQuery, NodeByIdQueryVariables>;
export const AppVolumesDocument = {"__meta__":{"hash":"sha256:8427ec20fb33fb4ea5cb5fe5a510a6b94f2d2295c269f4e207e4695bdcab3dd9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AppVolumes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"app"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"volumes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"app"},"value":{"kind":"Variable","name":{"kind":"Name","value":"app"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"volumeId"}},{"kind":"Field","name":{"kind":"Name","value":"appName"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"sizeGb"}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"zone"}},{"kind":"Field","name":{"kind":"Name","value":"encrypted"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"attachedMachineId"}},{"kind":"Field","name":{"kind":"Name","value":"attachedMachine"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"machineId"}},{"kind":"Field","name":{"kind":"Name","value":"state"}}]}},{"kind":"Field","name":{"kind":"Name","value":"snapshots"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sizeBytes"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]}}]} as unknown as DocumentNode<AppVolumesQuery, AppVolumesQueryVariables>;