import type { AppRecord, LeaseRecord, MachineRecord, SnapshotRecord, VolumeRecord } from './types.js';

/** How many recent events the machine body embeds (the full log is behind `/events`). */
const EMBEDDED_EVENTS = 10;

const rfc = (ms: number): string => new Date(ms).toISOString();

/** Options for {@link machineToWire}. */
export interface MachineWireOptions {
  nowMs: number;
  includeLease?: boolean;
  summary?: boolean;
  /** Serialize this (older) version instead of the current one; it then reads `replaced`. */
  version?: string;
  nonce?: string;
}

/** The active lease, or undefined once its TTL has passed on the emulator clock. */
export function activeLease(m: MachineRecord, nowMs: number): LeaseRecord | undefined {
  return m.lease && m.lease.expiresAtMs > nowMs ? m.lease : undefined;
}

/** The current (newest) version record of a machine; every machine has at least one. */
function latest(m: MachineRecord): MachineRecord['versions'][number] {
  return m.versions[m.versions.length - 1];
}

/** The current config of a machine. */
export function currentConfig(m: MachineRecord): MachineRecord['versions'][number]['config'] {
  return latest(m).config;
}

/** The current version id of a machine. */
export function currentVersion(m: MachineRecord): string {
  return latest(m).version;
}

function imageRef(image: string | undefined): Record<string, unknown> {
  const ref = image ?? 'registry.fly.io/unknown:latest';
  const [repoPart, tag = 'latest'] = ref.split(/:(?=[^/]*$)/);
  const slash = repoPart.indexOf('/');
  const hasRegistry = slash > 0 && /[.:]/.test(repoPart.slice(0, slash));
  return {
    registry: hasRegistry ? repoPart.slice(0, slash) : 'docker-hub-mirror.fly.io',
    repository: hasRegistry ? repoPart.slice(slash + 1) : repoPart,
    tag,
    digest: 'sha256:' + Buffer.from(ref).toString('hex').padEnd(64, '0').slice(0, 64),
    labels: {},
  };
}

/** A machine in the wire shape of the spec's `Machine`. */
export function machineToWire(m: MachineRecord, opts: MachineWireOptions): Record<string, unknown> {
  const old = opts.version ? m.versions.find((v) => v.version === opts.version) : undefined;
  const ver = old ?? latest(m);
  const isCurrent = ver === latest(m);
  const config = ver.config;
  const body: Record<string, unknown> = {
    id: m.id,
    name: m.name,
    state: isCurrent ? m.state : 'replaced',
    region: m.region,
    instance_id: ver.version,
    version: ver.version,
    private_ip: m.privateIp,
    cordoned: m.cordoned,
    created_at: rfc(m.createdAtMs),
    updated_at: rfc(isCurrent ? m.updatedAtMs : ver.createdAtMs),
    config: opts.summary ? { image: config.image, guest: config.guest, metadata: config.metadata ?? {} } : config,
    image_ref: imageRef(config.image),
    host_status: 'ok',
  };
  if (!opts.summary) {
    body.events = m.events.slice(-EMBEDDED_EVENTS).reverse();
    body.checks = m.checks;
  }
  const lease = opts.includeLease ? activeLease(m, opts.nowMs) : undefined;
  if (lease) body.lease = { owner: lease.owner, description: lease.description, expires_at: Math.floor(lease.expiresAtMs / 1000) };
  if (opts.nonce) body.nonce = opts.nonce;
  return body;
}

/** An org-wide listing row (`OrgMachine`). */
export function orgMachineToWire(m: MachineRecord): Record<string, unknown> {
  const config = currentConfig(m);
  return {
    id: m.id,
    name: m.name,
    app_name: m.app,
    state: m.state,
    region: m.region,
    private_ip: m.privateIp,
    version: currentVersion(m),
    created_at: rfc(m.createdAtMs),
    updated_at: rfc(m.updatedAtMs),
    config: { image: config.image, guest: config.guest, metadata: config.metadata ?? {} },
  };
}

/** A lease in the spec's `Lease` shape (the route wraps it as the real API does). */
export function leaseToWire(lease: LeaseRecord): Record<string, unknown> {
  return {
    nonce: lease.nonce,
    expires_at: Math.floor(lease.expiresAtMs / 1000),
    owner: lease.owner,
    description: lease.description,
    version: lease.version,
  };
}

/** An app in the spec's `App` shape. */
export function appToWire(app: AppRecord, machineCount: number, volumeCount: number): Record<string, unknown> {
  return {
    id: app.id,
    name: app.name,
    status: machineCount > 0 ? 'deployed' : 'pending',
    network: app.network,
    network_cidr: 'fdaa:0:1::/48',
    machine_count: machineCount,
    volume_count: volumeCount,
    internal_numeric_id: app.internalNumericId,
    organization: { name: app.org, slug: app.org, internal_numeric_id: 1 },
  };
}

/** A volume in the spec's `Volume` shape. */
export function volumeToWire(v: VolumeRecord, withApp = false): Record<string, unknown> {
  const blockSize = 4096;
  const blocks = Math.floor((v.sizeGb * 1024 ** 3) / blockSize);
  const used = Math.floor(blocks / 20);
  const body: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    state: v.state,
    size_gb: v.sizeGb,
    region: v.region,
    zone: v.zone,
    encrypted: v.encrypted,
    fstype: v.fstype,
    type: 'local',
    created_at: rfc(v.createdAtMs),
    blocks,
    block_size: blockSize,
    blocks_free: blocks - used,
    blocks_avail: blocks - used,
    bytes_total: blocks * blockSize,
    bytes_used: used * blockSize,
    snapshot_retention: v.snapshotRetention,
    auto_backup_enabled: v.autoBackupEnabled,
    host_status: 'ok',
  };
  if (v.attachedMachineId) {
    body.attached_machine_id = v.attachedMachineId;
    body.attached_alloc_id = v.attachedMachineId;
  }
  if (withApp) {
    body.app_name = v.app;
    body.updated_at = rfc(v.updatedAtMs);
  }
  return body;
}

/** A snapshot in the spec's `VolumeSnapshot` shape. */
export function snapshotToWire(s: SnapshotRecord): Record<string, unknown> {
  return {
    id: s.id,
    created_at: rfc(s.createdAtMs),
    digest: s.digest,
    size: s.size,
    volume_size: s.volumeSize,
    status: s.status,
    retention_days: s.retentionDays,
  };
}
