import type { Certificates } from './certificates.js';
import type { RouteContext } from './context.js';
import { flyError } from './http-error.js';
import { createAppRecord, deleteAppRecord } from './routes/apps.js';
import { grantLease } from './routes/leases.js';
import { parseConfig } from './routes/machines.js';
import { createVolumeRecord, type CreateVolumeInput } from './routes/volumes.js';
import { machineToWire, volumeToWire } from './serialize.js';
import { allocateIps, ipsOf, ipToWire, validateAllocate } from './ip-assignments.js';
import type { CheckRecord, DnsRecord, MachineConfig } from './types.js';
import { isLive } from './volume-states.js';

/** A machine as the control API returns it: the same JSON the HTTP API would serve. */
export type MachineView = Record<string, unknown> & { id: string; state: string; version: string; region: string; name: string };

/** Options for {@link EmulatorControl.createMachine}. */
export interface ControlMachineInput {
  config?: MachineConfig;
  name?: string;
  region?: string;
  /** Leave the machine `created` instead of booting it. */
  skipLaunch?: boolean;
  /** Put the machine straight into this state (no transient phase), e.g. `stopped` or `failed`. */
  state?: string;
}

/** Direct state access for tests and demo mode, bypassing HTTP, auth, faults and rate limits. */
export interface EmulatorControl {
  /**
   * Creates an app; `{ org }` puts it in another organization than the default one (the org is created with it, so
   * the org-scoped endpoints then answer for it too).
   */
  createApp(name: string, network?: string | { network?: string; org?: string }): void;
  deleteApp(name: string): void;
  listApps(): string[];
  createMachine(app: string, input?: ControlMachineInput): MachineView;
  getMachine(app: string, id: string): MachineView;
  listMachines(app: string): MachineView[];
  /** Forces a state without a transient phase (logs a flyd event and change notices). */
  setMachineState(app: string, id: string, state: string): MachineView;
  setCheck(app: string, id: string, name: string, status: CheckRecord['status'], output?: string): void;
  /** Simulates the machine's main process exiting; the restart policy decides what follows. */
  triggerExit(app: string, id: string, opts?: { exitCode?: number; oomKilled?: boolean }): MachineView;
  /** Takes a lease as another holder would; returns its nonce. */
  acquireLease(app: string, id: string, ttlSeconds?: number): string;
  createVolume(app: string, input: Omit<CreateVolumeInput, 'app'>): Record<string, unknown>;
  /** The app's volumes that still exist (not being destroyed), as the HTTP API serves them. */
  listVolumes(app: string): Record<string, unknown>[];
  /**
   * Sets what a hostname's DNS answers, as if its owner had added the records: A/AAAA/CNAME pointing at the app,
   * `acmeChallengeCname` for the DNS-01 delegation, `ownershipTxt`. With `afterMs` the records "propagate" that long
   * later (emulator clock). A certificate awaiting them is then issued `certificateIssueMs` later. Undefined removes.
   */
  setDns(hostname: string, records: Partial<DnsRecord> | undefined, options?: { afterMs?: number }): void;
  /** Adds a hostname with an ACME certificate requested, as `POST …/certificates/acme`; returns the spec's CertificateDetail. */
  addCertificate(app: string, hostname: string): Record<string, unknown>;
  /** A certificate as `GET …/certificates/{hostname}` answers it. */
  getCertificate(app: string, hostname: string): Record<string, unknown>;
  /** Assigns an address, as `POST …/ip_assignments`; returns the spec's IPAssignment. */
  allocateIp(app: string, input: { type: string; region?: string; network?: string; serviceName?: string }): Record<string, unknown>;
  /** Addresses of an app, as `GET …/ip_assignments` lists them. */
  listIps(app: string): Record<string, unknown>[];
  /** Removes every app, machine and volume. */
  reset(): void;
  /** The secrets version a machine was last created or updated with; undefined when it skipped secrets. */
  machineSecretsVersion(app: string, id: string): number | undefined;
  /** The app's current secrets version (0 before any secret or key was set). */
  secretsVersion(app: string): number;
}

/** Creates the control API over a route context. */
export function createControl(ctx: RouteContext, certificates: Certificates): EmulatorControl {
  const { store, lifecycle, clock } = ctx;
  const view = (app: string, id: string): MachineView =>
    machineToWire(store.getMachine(app, id, true), { nowMs: clock.now(), includeLease: true }) as MachineView;

  return {
    createApp(name, options) {
      if (store.apps.has(name)) throw flyError(422, `Name "${name}" is already taken`, 'name_taken');
      const { network, org } = typeof options === 'object' ? options : { network: options, org: undefined };
      const slug = org === undefined ? store.org : (store.resolveOrg(org) ?? org);
      store.orgs.add(slug);
      createAppRecord(ctx, name, network, slug);
    },
    deleteApp(name) {
      store.getApp(name);
      deleteAppRecord(ctx, name);
    },
    listApps: () => [...store.apps.keys()].sort(),
    createMachine(app, input = {}) {
      store.getApp(app);
      const config = parseConfig(input.config ?? { image: 'registry.fly.io/emulator-demo:latest' });
      const m = lifecycle.create({
        app,
        config,
        name: input.name,
        region: input.region,
        skipLaunch: input.skipLaunch || input.state !== undefined,
      });
      ctx.secrets.runWith(m.id, ctx.secrets.of(app).version);
      if (input.state && input.state !== 'created') {
        // Boot first so the event log reads like a real history (launch, start, then the requested state).
        lifecycle.force(m, 'started');
        if (input.state !== 'started') lifecycle.force(m, input.state);
      }
      return view(app, m.id);
    },
    getMachine: view,
    listMachines: (app) => store.machinesOf(app).map((m) => view(app, m.id)),
    setMachineState(app, id, state) {
      lifecycle.force(store.getMachine(app, id, true), state);
      return view(app, id);
    },
    setCheck(app, id, name, status, output) {
      lifecycle.setCheck(store.getMachine(app, id), name, status, output);
    },
    triggerExit(app, id, opts = {}) {
      lifecycle.exit(store.getMachine(app, id), opts.exitCode ?? 1, opts.oomKilled);
      return view(app, id);
    },
    acquireLease(app, id, ttlSeconds = 30) {
      return grantLease(ctx, store.getMachine(app, id), ttlSeconds, 'held by control API').nonce;
    },
    createVolume(app, input) {
      store.getApp(app);
      return volumeToWire(createVolumeRecord(ctx, { ...input, app }));
    },
    listVolumes: (app) =>
      store
        .volumesOf(app)
        .filter(isLive)
        .map((v) => volumeToWire(v)),
    setDns(hostname, records, options = {}) {
      certificates.setDns(hostname, records, options.afterMs);
    },
    addCertificate(app, hostname) {
      store.getApp(app);
      if (store.certificates.has(hostname)) throw flyError(422, `${hostname} is already in use`);
      const now = clock.now();
      const cert = { app, hostname, createdAtMs: now, updatedAtMs: now, acmeRequested: true, token: ctx.ids.shortId(18) };
      store.certificates.set(hostname, cert);
      certificates.evaluate(cert);
      certificates.changed(cert);
      return certificates.detail(cert);
    },
    getCertificate(app, hostname) {
      const cert = store.certificates.get(hostname);
      if (!cert || cert.app !== app) throw flyError(404, `certificate not found: ${hostname}`);
      return certificates.detail(cert);
    },
    allocateIp(app, input) {
      store.getApp(app);
      const body = { type: input.type, region: input.region, network: input.network, service_name: input.serviceName };
      return ipToWire(allocateIps(ctx, validateAllocate(ctx, body, app))[0], store.org);
    },
    listIps: (app) => ipsOf(store, app).map((ip) => ipToWire(ip, store.org)),
    reset() {
      for (const name of [...store.apps.keys()]) deleteAppRecord(ctx, name);
    },
    machineSecretsVersion(app, id) {
      return ctx.secrets.versionOf(store.getMachine(app, id, true).id);
    },
    secretsVersion(app) {
      store.getApp(app);
      return ctx.secrets.of(app).version;
    },
  };
}
