import { z } from 'zod';
import { jsonObject, optionalBool, optionalInt, optionalString, stringMap } from './common.js';

/** `MachineEvent`: `timestamp` is Unix milliseconds; `request` is free-form (exit details live there). */
export const flyMachineEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    status: optionalString,
    source: optionalString,
    timestamp: z.number(),
    request: jsonObject.optional(),
  })
  .loose();
export type FlyMachineEvent = z.infer<typeof flyMachineEventSchema>;

/** `CheckStatus`: status is `passing | warning | critical` in practice. */
export const flyCheckStatusSchema = z
  .object({ name: z.string(), status: z.string(), output: optionalString, updated_at: optionalString })
  .loose();
export type FlyCheckStatus = z.infer<typeof flyCheckStatusSchema>;

/** `Lease` (flat form; the client unwraps `{status, data}` before parsing). `expires_at` is Unix seconds. */
export const flyLeaseSchema = z
  .object({
    nonce: optionalString,
    expires_at: z.number(),
    owner: optionalString,
    description: optionalString,
    version: optionalString,
  })
  .loose();
export type FlyLease = z.infer<typeof flyLeaseSchema>;

/** The typed essentials of `fly.MachineConfig`; everything else is kept as-is (`loose`). */
export const flyMachineConfigSchema = z
  .object({
    image: optionalString,
    env: stringMap.optional(),
    metadata: stringMap.optional(),
    guest: z
      .object({ cpu_kind: optionalString, cpus: optionalInt, memory_mb: optionalInt, gpus: optionalInt, gpu_kind: optionalString })
      .loose()
      .optional(),
    services: z.array(jsonObject).optional(),
    checks: z.record(z.string(), jsonObject).optional(),
    restart: z.object({ policy: optionalString, max_retries: optionalInt }).loose().optional(),
    mounts: z
      .array(z.object({ volume: optionalString, path: optionalString, name: optionalString, size_gb: optionalInt }).loose())
      .optional(),
    auto_destroy: optionalBool,
  })
  .loose();
export type FlyMachineConfig = z.infer<typeof flyMachineConfigSchema>;

/** `Machine`. */
export const flyMachineSchema = z
  .object({
    id: z.string(),
    name: optionalString,
    state: z.string(),
    region: optionalString,
    version: optionalString,
    instance_id: optionalString,
    private_ip: optionalString,
    cordoned: optionalBool,
    created_at: optionalString,
    updated_at: optionalString,
    config: flyMachineConfigSchema.optional(),
    image_ref: z
      .object({ registry: optionalString, repository: optionalString, tag: optionalString, digest: optionalString })
      .loose()
      .optional(),
    events: z.array(flyMachineEventSchema).optional(),
    checks: z.array(flyCheckStatusSchema).optional(),
    host_status: optionalString,
    nonce: optionalString,
    lease: flyLeaseSchema.partial().loose().optional(),
  })
  .loose();
export type FlyMachine = z.infer<typeof flyMachineSchema>;

/** `WaitMachineResponse`. */
export const flyWaitResponseSchema = z
  .object({ ok: optionalBool, state: optionalString, version: optionalString, event_id: optionalString })
  .loose();
export type FlyWaitResponse = z.infer<typeof flyWaitResponseSchema>;

/** `MachineVersion`. */
export const flyMachineVersionSchema = z.object({ version: z.string(), user_config: flyMachineConfigSchema.optional() }).loose();
export type FlyMachineVersion = z.infer<typeof flyMachineVersionSchema>;

/** `ListenSocket`: an address a process listens on. */
export const flyListenSocketSchema = z.object({ address: optionalString, proto: optionalString }).loose();

/** `ProcessStat`. */
export const flyProcessStatSchema = z
  .object({
    pid: optionalInt,
    command: optionalString,
    cpu: optionalInt,
    rss: optionalInt,
    rtime: optionalInt,
    stime: optionalInt,
    directory: optionalString,
    listen_sockets: z.array(flyListenSocketSchema).nullish(),
  })
  .loose();
export type FlyProcessStat = z.infer<typeof flyProcessStatSchema>;

/** `main.memoryResponse`: a machine's memory limit (the balloon device's) and what is available under it, in MB. */
export const flyMemorySchema = z.object({ limit_mb: optionalInt, available_mb: optionalInt }).loose();
export type FlyMemory = z.infer<typeof flyMemorySchema>;

/** `main.reclaimMemoryResponse`: how much memory the balloon device took back, in MB. */
export const flyReclaimMemorySchema = z.object({ actual_mb: optionalInt }).loose();
export type FlyReclaimMemory = z.infer<typeof flyReclaimMemorySchema>;

/** `OrgMachine`, one row of the org feed. */
export const flyOrgMachineSchema = z
  .object({
    id: z.string(),
    name: optionalString,
    app_name: optionalString,
    state: z.string(),
    region: optionalString,
    private_ip: optionalString,
    version: optionalString,
    created_at: optionalString,
    updated_at: optionalString,
    config: jsonObject.optional(),
  })
  .loose();
export type FlyOrgMachine = z.infer<typeof flyOrgMachineSchema>;

/** `OrgMachinesResponse`. */
export const flyOrgMachinesResponseSchema = z
  .object({
    machines: z.array(flyOrgMachineSchema).default([]),
    next_cursor: optionalString,
    last_updated_at: optionalString,
    last_machine_id: optionalString,
    error_regions: z.array(z.string()).optional(),
  })
  .loose();
export type FlyOrgMachinesResponse = z.infer<typeof flyOrgMachinesResponseSchema>;

/** `flydv1.ExecResponse`: what a command run in the machine printed, and how it ended. */
export const flyExecResponseSchema = z
  .object({ exit_code: optionalInt, exit_signal: optionalInt, stdout: optionalString, stderr: optionalString })
  .loose();
export type FlyExecResponse = z.infer<typeof flyExecResponseSchema>;
