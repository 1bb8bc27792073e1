import type { FlyMachineConfig } from '../../flyio/wire/machine.js';

/** Restart policies Fly accepts. */
export type RestartPolicy = 'no' | 'always' | 'on-failure' | 'spot-price';

/**
 * The parts of a machine config a client sets through the gateway. Absent fields keep their current value;
 * `env` and `metadata`, when given, replace the whole map; `extra` carries any other config key verbatim.
 */
export interface MachineConfigPatch {
  image?: string;
  guest?: { cpuKind?: string; cpus?: number; memoryMb?: number; gpus?: number; gpuKind?: string };
  env?: Record<string, string>;
  metadata?: Record<string, string>;
  services?: Record<string, unknown>[];
  checks?: Record<string, Record<string, unknown>>;
  restart?: { policy: RestartPolicy; maxRetries?: number };
  mounts?: { volume: string; path: string }[];
  autoDestroy?: boolean;
  extra?: Record<string, unknown>;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Applies a patch to a config, producing the full config Fly expects (Fly's update replaces the config whole, so
 * a patch is always applied to the current one). Typed fields win over `extra`.
 */
export function applyConfigPatch(base: FlyMachineConfig, patch: MachineConfigPatch): FlyMachineConfig {
  const next: FlyMachineConfig = { ...structuredClone(base), ...structuredClone(patch.extra ?? {}) };
  if (patch.image !== undefined) next.image = patch.image;
  if (patch.guest) {
    const g = patch.guest;
    next.guest = {
      ...next.guest,
      ...withoutUndefined({ cpu_kind: g.cpuKind, cpus: g.cpus, memory_mb: g.memoryMb, gpus: g.gpus, gpu_kind: g.gpuKind }),
    };
  }
  if (patch.env) next.env = { ...patch.env };
  if (patch.metadata) next.metadata = { ...patch.metadata };
  if (patch.services) next.services = structuredClone(patch.services);
  if (patch.checks) next.checks = structuredClone(patch.checks);
  if (patch.restart) next.restart = withoutUndefined({ policy: patch.restart.policy, max_retries: patch.restart.maxRetries });
  if (patch.mounts) next.mounts = patch.mounts.map((m) => ({ volume: m.volume, path: m.path }));
  if (patch.autoDestroy !== undefined) next.auto_destroy = patch.autoDestroy;
  return next;
}
