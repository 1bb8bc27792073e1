/**
 * The vocabulary of deployments: a record that is stored as JSON (memory or Redis) so any instance can report it,
 * and the progress log a subscription replays in order.
 */
import type { MachineConfigPatch } from '../machines/config-patch.js';

export type DeploymentStrategy = 'rolling' | 'canary' | 'immediate' | 'bluegreen';

export type DeploymentStatus =
  'pending' | 'running' | 'succeeded' | 'failed' | 'rolling_back' | 'rolled_back' | 'cancelled' | 'interrupted';

/** What happened to one machine, in the order it happens. */
export type DeploymentStepKind = 'leased' | 'updating' | 'waiting_for_start' | 'waiting_for_checks' | 'healthy' | 'failed' | 'rolled_back';

/** Statuses after which nothing changes any more. */
export const FINAL_STATUSES: ReadonlySet<DeploymentStatus> = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

/** One entry of the progress log. `seq` counts from 1 and is contiguous within a deployment. */
export interface DeploymentStep {
  seq: number;
  machineId: string;
  step: DeploymentStepKind;
  /** ms since the epoch, on the gateway clock. */
  at: number;
  message?: string;
}

/** One machine a deployment works on. */
export interface DeploymentMachine {
  machineId: string;
  region?: string;
  /**
   * `existing`: updated in place. BLUEGREEN: `blue` is an existing machine that is destroyed once green is healthy,
   * `green` is the new machine created next to it.
   */
  role: 'existing' | 'blue' | 'green';
  /** Not started when the deployment began: updated with skip_launch and not waited for. */
  skipLaunch: boolean;
  previousVersion?: string;
  targetVersion?: string;
  previousImage?: string;
  targetImage: string;
}

/** A deployment as stored. Timestamps are ms since the epoch on the clock of the instance that runs it. */
export interface DeploymentRecord {
  id: string;
  app: string;
  image: string;
  strategy: DeploymentStrategy;
  /** Started machines that may be down at once (resolved from the input's fraction or count). */
  maxUnavailable: number;
  waitTimeoutSeconds: number;
  status: DeploymentStatus;
  error?: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  /** Written by the running instance every heartbeat; a stale one means that instance is gone. */
  heartbeatAt: number;
  /** Lease TTL the runner holds machines with; a heartbeat older than this reads INTERRUPTED. */
  leaseTtlMs: number;
  /** Which instance runs it. */
  owner: string;
  /** Set by `cancel` on any instance; the runner notices it on its next heartbeat. */
  cancelRequested?: boolean;
  machines: DeploymentMachine[];
  steps: DeploymentStep[];
  /** The secrets version the deployment applies (absent: whatever the machines pick up). */
  secretsVersion?: number;
}

/** Input of a deployment. */
export interface DeployInput {
  app: string;
  image: string;
  /** Applied over each machine's current config (the image is set from `image`). */
  config?: Omit<MachineConfigPatch, 'image'>;
  strategy: DeploymentStrategy;
  /** Below 1: a fraction of the started machines; 1 or more: a count. @default 0.33 */
  maxUnavailable?: number;
  /** Per machine: how long to wait for `started` and passing checks. @default 300 */
  waitTimeoutSeconds?: number;
  /** The app's secrets version each updated or created machine must run with (`min_secrets_version`). */
  secretsVersion?: number;
}

/** One message of a progress subscription: a step, or the final status (always the last message). */
export type DeploymentProgress =
  | { kind: 'step'; deploymentId: string; step: DeploymentStep }
  | { kind: 'status'; deploymentId: string; status: DeploymentStatus; error?: string };

/** Why a deployment could not begin (Fly failures are thrown as they are). */
export class DeployRejectedError extends Error {
  constructor(
    readonly reason: 'app-busy' | 'invalid-input' | 'no-machines' | 'not-found',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The status a reader should report: a deployment still marked active whose heartbeat is older than the lease TTL
 * lost its runner (the instance died); its leases have expired on Fly, so it reads INTERRUPTED everywhere.
 */
export function effectiveStatus(record: DeploymentRecord, now: number): DeploymentStatus {
  if (FINAL_STATUSES.has(record.status)) return record.status;
  return now - record.heartbeatAt > record.leaseTtlMs ? 'interrupted' : record.status;
}

/** The record as a reader sees it now (status resolved with {@link effectiveStatus}). */
export function viewOf(record: DeploymentRecord, now: number): DeploymentRecord {
  const status = effectiveStatus(record, now);
  if (status === record.status) return record;
  return { ...record, status, error: record.error ?? 'the instance running this deployment stopped heartbeating; its leases expired' };
}
