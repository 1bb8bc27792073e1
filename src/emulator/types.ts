/**
 * Internal records of the emulator. These are the emulator's own reading of the Machines API contract and are
 * deliberately independent from the gateway's wire schemas in `src/flyio/`.
 */

/** A machine config as the emulator stores it (opaque JSON apart from the few fields it reads). */
export type MachineConfig = Record<string, unknown> & {
  image?: string;
  metadata?: Record<string, string>;
  guest?: Record<string, unknown>;
  restart?: { policy?: string; max_retries?: number };
  auto_destroy?: boolean;
  checks?: Record<string, unknown>;
  mounts?: Array<{ volume?: string; path?: string }>;
};

/** One entry of a machine's event log, in wire shape. */
export interface MachineEventRecord {
  id: string;
  type: string;
  status: string;
  source: 'user' | 'flyd';
  timestamp: number;
  request?: Record<string, unknown>;
}

/** A health check status, in wire shape. */
export interface CheckRecord {
  name: string;
  status: 'passing' | 'warning' | 'critical';
  output: string;
  updated_at: string;
}

/** An exclusive lease on a machine. */
export interface LeaseRecord {
  nonce: string;
  expiresAtMs: number;
  owner: string;
  description: string;
  version: string;
}

/** One version of a machine's config. */
export interface VersionRecord {
  version: string;
  config: MachineConfig;
  createdAtMs: number;
}

/** A machine and everything the emulator knows about it. */
export interface MachineRecord {
  id: string;
  app: string;
  name: string;
  region: string;
  state: string;
  privateIp: string;
  cordoned: boolean;
  createdAtMs: number;
  updatedAtMs: number;
  /** Oldest first; the last entry is the current version. */
  versions: VersionRecord[];
  /** Oldest first; serialized newest first. */
  events: MachineEventRecord[];
  checks: CheckRecord[];
  lease?: LeaseRecord;
  memoryLimitMb?: number;
  restartCount: number;
}

/** An app. */
export interface AppRecord {
  id: string;
  name: string;
  org: string;
  network: string;
  internalNumericId: number;
  createdAtMs: number;
}

/** A volume snapshot. */
export interface SnapshotRecord {
  id: string;
  createdAtMs: number;
  digest: string;
  size: number;
  volumeSize: number;
  status: string;
  retentionDays: number;
}

/** A volume. */
export interface VolumeRecord {
  id: string;
  app: string;
  name: string;
  state: string;
  sizeGb: number;
  region: string;
  zone: string;
  encrypted: boolean;
  fstype: string;
  createdAtMs: number;
  updatedAtMs: number;
  attachedMachineId?: string;
  snapshotRetention: number;
  autoBackupEnabled: boolean;
  snapshots: SnapshotRecord[];
}

/** Kinds of change notice, matching the gateway's webhook event types. */
export type EmulatorChangeType = 'machine.created' | 'machine.state_changed' | 'machine.updated' | 'machine.destroyed' | 'machine.event';

/** Changes of an app's other resources, announced with `machine_id: ''` and a {@link EmulatorResource}. */
export type EmulatorResourceChangeType =
  | 'app.created'
  | 'app.destroyed'
  | 'volume.created'
  | 'volume.updated'
  | 'volume.extended'
  | 'volume.destroyed'
  | 'volume.snapshot_created'
  | 'secrets.changed'
  | 'certificate.changed'
  | 'ip.allocated'
  | 'ip.released'
  | 'postgres.changed';

/** What a resource change notice is about (names, ids, states and versions; never a secret). */
export interface EmulatorResource {
  kind: 'app' | 'volume' | 'snapshot' | 'secrets' | 'certificate' | 'ip' | 'postgres';
  id: string;
  state?: string;
  version?: string;
  org?: string;
}

/** A change notice for webhook relays; the shape matches the gateway's webhook body. */
export interface EmulatorChange {
  type: EmulatorChangeType | EmulatorResourceChangeType;
  /** RFC 3339. */
  timestamp: string;
  data: {
    app: string;
    machine_id: string;
    from?: string;
    to?: string;
    version?: string;
    event?: MachineEventRecord;
    resource?: EmulatorResource;
  };
}

/** How long each transient state lasts, in ms of the emulator clock. */
export interface TransitionDelays {
  start: number;
  stop: number;
  restart: number;
  suspend: number;
  destroy: number;
  update: number;
  create: number;
}

// --- TLS certificates, DNS and IP assignments (MACHINES-API.md §2.1, §2.5) ---

/** What a hostname's DNS answers, as the emulator pretends the world sees it (set by the control API). */
export interface DnsRecord {
  a: string[];
  aaaa: string[];
  cname: string[];
  /** Target of `_acme-challenge.<hostname>` (the DNS-01 delegation). */
  acmeChallengeCname?: string;
  /** Value of the `_fly-ownership.<hostname>` TXT record. */
  ownershipTxt?: string;
}

/** A custom certificate the app uploaded. The private key is checked against it and then dropped: never stored. */
export interface CustomCertificateRecord {
  issuer: string;
  keyType: 'rsa' | 'ecdsa';
  createdAtMs: number;
  expiresAtMs: number;
}

/** A hostname of an app and the certificates it holds. */
export interface CertificateRecord {
  app: string;
  hostname: string;
  createdAtMs: number;
  updatedAtMs: number;
  /** A Fly-managed (ACME) certificate is wanted. */
  acmeRequested: boolean;
  /** When the ACME certificate was issued; undefined while it is awaited. */
  issuedAtMs?: number;
  custom?: CustomCertificateRecord;
  /** Random part of the ownership TXT values and the DNS-01 target. */
  token: string;
}

/** The kinds of IP address Fly assigns. */
export type IpType = 'v4' | 'v6' | 'shared_v4' | 'private_v6' | 'egress_v4' | 'egress_v6';

/** An IP address assigned to an app. */
export interface IpRecord {
  app: string;
  ip: string;
  type: IpType;
  region: string;
  createdAtMs: number;
  /** Flycast (private_v6) only: the 6PN network ('' for the org's default). */
  network?: string;
  serviceName?: string;
}
