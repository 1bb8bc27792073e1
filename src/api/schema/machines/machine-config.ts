import type { FlyMachineConfig } from '../../../flyio/wire/machine.js';
import { builder } from '../../builder.js';
import { RestartPolicyEnum, toRestartPolicy } from '../enums.js';

type Json = Record<string, unknown>;
type Guest = NonNullable<FlyMachineConfig['guest']>;
type Mount = NonNullable<FlyMachineConfig['mounts']>[number];
type Restart = NonNullable<FlyMachineConfig['restart']>;
interface NamedCheck {
  name: string;
  check: Json;
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const int = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const bool = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

/** A key/value pair (metadata). */
export const MetadataEntryRef = builder.objectRef<{ key: string; value: string }>('MetadataEntry').implement({
  fields: (t) => ({ key: t.exposeString('key'), value: t.exposeString('value') }),
});

/** Sorted entries of a string map, so answers are stable. */
export function toEntries(map: Record<string, string> | undefined): { key: string; value: string }[] {
  return Object.entries(map ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

const GuestRef = builder.objectRef<Guest>('MachineGuest').implement({
  description: 'CPU, memory and GPU sizing.',
  fields: (t) => ({
    cpuKind: t.string({ nullable: true, resolve: (g) => g.cpu_kind ?? null }),
    cpus: t.int({ nullable: true, resolve: (g) => g.cpus ?? null }),
    memoryMb: t.int({ nullable: true, resolve: (g) => g.memory_mb ?? null }),
    gpus: t.int({ nullable: true, resolve: (g) => g.gpus ?? null }),
    gpuKind: t.string({ nullable: true, resolve: (g) => g.gpu_kind ?? null }),
  }),
});

const PortRef = builder.objectRef<Json>('MachinePort').implement({
  description: 'A public port Fly Proxy routes to the service.',
  fields: (t) => ({
    port: t.int({ nullable: true, resolve: (p) => int(p.port) }),
    startPort: t.int({ nullable: true, resolve: (p) => int(p.start_port) }),
    endPort: t.int({ nullable: true, resolve: (p) => int(p.end_port) }),
    handlers: t.stringList({
      resolve: (p) => (Array.isArray(p.handlers) ? p.handlers.filter((h): h is string => typeof h === 'string') : []),
    }),
    forceHttps: t.boolean({ nullable: true, resolve: (p) => bool(p.force_https) }),
  }),
});

const ServiceRef = builder.objectRef<Json>('MachineService').implement({
  description: 'A service Fly Proxy exposes for the machine.',
  fields: (t) => ({
    protocol: t.string({ nullable: true, resolve: (s) => str(s.protocol) }),
    internalPort: t.int({ nullable: true, resolve: (s) => int(s.internal_port) }),
    ports: t.field({ type: [PortRef], resolve: (s) => (Array.isArray(s.ports) ? (s.ports as Json[]) : []) }),
    autostop: t.string({
      nullable: true,
      description: '`off`, `stop` or `suspend` (older booleans are normalised: true -> stop, false -> off).',
      resolve: (s) => (typeof s.autostop === 'boolean' ? (s.autostop ? 'stop' : 'off') : str(s.autostop)),
    }),
    autostart: t.boolean({ nullable: true, resolve: (s) => bool(s.autostart) }),
    minMachinesRunning: t.int({ nullable: true, resolve: (s) => int(s.min_machines_running) }),
  }),
});

const CheckRef = builder.objectRef<NamedCheck>('MachineCheck').implement({
  description: 'A health check the machine runs (its latest result is in Machine.checks).',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.string({ nullable: true, resolve: (c) => str(c.check.type) }),
    port: t.int({ nullable: true, resolve: (c) => int(c.check.port) }),
    path: t.string({ nullable: true, resolve: (c) => str(c.check.path) }),
    method: t.string({ nullable: true, resolve: (c) => str(c.check.method) }),
    interval: t.string({ nullable: true, resolve: (c) => str(c.check.interval) }),
    timeout: t.string({ nullable: true, resolve: (c) => str(c.check.timeout) }),
    gracePeriod: t.string({ nullable: true, resolve: (c) => str(c.check.grace_period) }),
  }),
});

const RestartRef = builder.objectRef<Restart>('MachineRestart').implement({
  fields: (t) => ({
    policy: t.field({ type: RestartPolicyEnum, nullable: true, resolve: (r) => toRestartPolicy(r.policy) }),
    maxRetries: t.int({ nullable: true, resolve: (r) => r.max_retries ?? null }),
  }),
});

const MountRef = builder.objectRef<Mount>('MachineMount').implement({
  description: 'A volume mounted into the machine.',
  fields: (t) => ({
    volume: t.string({ nullable: true, description: 'Volume id.', resolve: (m) => m.volume ?? null }),
    path: t.string({ nullable: true, resolve: (m) => m.path ?? null }),
    name: t.string({ nullable: true, resolve: (m) => m.name ?? null }),
    sizeGb: t.int({ nullable: true, resolve: (m) => m.size_gb ?? null }),
  }),
});

/** Keys whose values may carry credentials: environment maps (machine, process, container) and inline file bodies. */
const SECRET_BEARING_KEYS = new Set(['env', 'raw_value']);
const REDACTED = '[redacted]';

function redactValue(key: string, value: unknown): unknown {
  if (!SECRET_BEARING_KEYS.has(key)) return redactDeep(value);
  if (key === 'env' && value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
  }
  return REDACTED;
}

function redactDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactDeep);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(k, v)]));
}

/**
 * The config with secret-bearing values replaced wherever they occur (env maps of the machine, its processes and
 * containers; inline file bodies): this gateway's readers are not necessarily people allowed to see credentials.
 * Keys stay visible.
 */
export function redactConfig(config: FlyMachineConfig): Json {
  return redactDeep(config) as Json;
}

/** The typed essentials of a machine config, plus the rest as JSON. */
export const MachineConfigRef = builder.objectRef<FlyMachineConfig>('MachineConfig').implement({
  description: "A machine's configuration: the parts most clients need, typed; everything else in `raw`.",
  fields: (t) => ({
    image: t.string({ nullable: true, resolve: (c) => c.image ?? null }),
    guest: t.field({ type: GuestRef, nullable: true, resolve: (c) => c.guest ?? null }),
    services: t.field({ type: [ServiceRef], resolve: (c) => c.services ?? [] }),
    checks: t.field({
      type: [CheckRef],
      resolve: (c) =>
        Object.entries(c.checks ?? {})
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, check]) => ({ name, check })),
    }),
    restart: t.field({ type: RestartRef, nullable: true, resolve: (c) => c.restart ?? null }),
    envKeys: t.stringList({
      description: 'Names of the environment variables (values are not exposed).',
      resolve: (c) => Object.keys(c.env ?? {}).sort(),
    }),
    mounts: t.field({ type: [MountRef], resolve: (c) => c.mounts ?? [] }),
    metadata: t.field({ type: [MetadataEntryRef], resolve: (c) => toEntries(c.metadata) }),
    autoDestroy: t.boolean({ nullable: true, resolve: (c) => c.auto_destroy ?? null }),
    raw: t.field({
      type: 'JSON',
      description: 'The full config as Fly returns it, with env values and inline file bodies redacted.',
      resolve: (c) => redactConfig(c),
    }),
  }),
});
