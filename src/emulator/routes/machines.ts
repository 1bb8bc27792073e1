import type { Handlers, RouteContext } from '../context.js';
import { comparePositions, paginate } from '../cursor.js';
import { flyError, HttpError } from '../http-error.js';
import { isKnownRegion } from '../regions.js';
import { flag, intQuery, objectBody, requireLease } from '../request-helpers.js';
import { currentConfig, currentVersion, machineToWire } from '../serialize.js';
import type { MachineConfig, MachineRecord } from '../types.js';
import { checkTtl, grantLease } from './leases.js';
import { machineSecretsVersion } from './secrets.js';

const byCreation = (a: MachineRecord, b: MachineRecord): number => comparePositions(creation(a), creation(b));
const creation = (m: MachineRecord) => ({ at: m.createdAtMs, id: m.id });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates a machine config: an object with a non-empty `image` (the only required field). */
export function parseConfig(raw: unknown): MachineConfig {
  if (!isObject(raw)) throw flyError(400, 'config is required');
  const config = raw as MachineConfig;
  if (typeof config.image !== 'string' || !config.image) throw flyError(400, 'config.image is required');
  if (
    config.metadata !== undefined &&
    (!isObject(config.metadata) || !Object.values(config.metadata).every((v) => typeof v === 'string'))
  ) {
    throw flyError(400, 'config.metadata must be an object of string values');
  }
  // The emulator reads these fields itself, so a wrong shape must be a 400 here rather than a crash later.
  if (config.mounts !== undefined && (!Array.isArray(config.mounts) || !config.mounts.every(isObject)))
    throw flyError(400, 'config.mounts must be an array of objects');
  for (const key of ['checks', 'guest', 'restart', 'init'] as const) {
    if (config[key] !== undefined && !isObject(config[key])) throw flyError(400, `config.${key} must be an object`);
  }
  return structuredClone(config);
}

/** `lease_ttl` on create/update: absent (or 0, as Go clients send for "none") means no lease; otherwise a valid TTL. */
function optionalLeaseTtl(raw: unknown): number | undefined {
  return raw === undefined || raw === null || raw === 0 ? undefined : checkTtl(raw, 'lease_ttl');
}

/** Filters machines by the list query: state, region and `metadata.<key>=value` (all must match). */
function listFilter(query: URLSearchParams): (m: MachineRecord) => boolean {
  const states = query
    .getAll('state')
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const region = query.get('region');
  const meta = [...query.entries()].filter(([k]) => k.startsWith('metadata.')).map(([k, v]) => [k.slice('metadata.'.length), v] as const);
  const includeDeleted = flag(query, 'include_deleted');
  return (m) => {
    if (!includeDeleted && m.state === 'destroyed') return false;
    if (states.length > 0 && !states.includes(m.state)) return false;
    if (region && m.region !== region) return false;
    const md = currentConfig(m).metadata ?? {};
    return meta.every(([k, v]) => md[k] === v);
  };
}

/** Handlers for machine CRUD (MACHINES-API.md §2.2). */
export function machineRoutes(ctx: RouteContext): Handlers {
  const { store, clock, lifecycle } = ctx;
  const wire = (m: MachineRecord, extra: { includeLease?: boolean; summary?: boolean; version?: string; nonce?: string } = {}) =>
    machineToWire(m, { nowMs: clock.now(), ...extra });

  return {
    'machines.list': ({ params, query }) => {
      store.getApp(params.app_name);
      const limit = intQuery(query, 'limit', 1, 1000);
      const matching = store.machinesOf(params.app_name).filter(listFilter(query)).sort(byCreation);
      const { page, next } = paginate(matching, creation, query.get('cursor'), limit);
      const headers: Record<string, string> = next ? { 'fly-next-cursor': next } : {};
      const opts = { includeLease: flag(query, 'include_leases'), summary: flag(query, 'summary') };
      return { status: 200, body: page.map((m) => wire(m, opts)), headers };
    },
    'machines.create': ({ params, body }) => {
      store.getApp(params.app_name);
      const input = objectBody(body);
      const config = parseConfig(input.config);
      const leaseTtl = optionalLeaseTtl(input.lease_ttl);
      const region = typeof input.region === 'string' && input.region ? input.region : ctx.defaultRegion;
      if (!isKnownRegion(region)) throw flyError(400, `unknown region: ${region}`);
      const secretsVersion = machineSecretsVersion(ctx, params.app_name, input);
      const m = lifecycle.create({
        app: params.app_name,
        config,
        name: typeof input.name === 'string' ? input.name : undefined,
        region,
        skipLaunch: input.skip_launch === true,
      });
      ctx.secrets.runWith(m.id, secretsVersion);
      const nonce = leaseTtl === undefined ? undefined : grantLease(ctx, m, leaseTtl, '').nonce;
      return { status: 200, body: wire(m, { nonce }) };
    },
    'machines.get': ({ params, query }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      const version = query.get('version') ?? undefined;
      if (version && !m.versions.some((v) => v.version === version)) throw flyError(404, `machine version not found: ${version}`);
      return { status: 200, body: wire(m, { version, includeLease: flag(query, 'include_leases') }) };
    },
    'machines.update': ({ params, body, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const input = objectBody(body);
      const config = parseConfig(input.config);
      const leaseTtl = optionalLeaseTtl(input.lease_ttl);
      requireLease(m, headers, clock.now());
      const version = currentVersion(m);
      if (typeof input.current_version === 'string' && input.current_version && input.current_version !== version) {
        throw new HttpError(409, { error: `machine version mismatch: current version is ${version}, not ${input.current_version}` });
      }
      if (typeof input.region === 'string' && input.region && input.region !== m.region)
        throw flyError(400, 'region cannot be changed by an update');
      if (typeof input.name === 'string' && input.name && input.name !== m.name) throw flyError(400, 'name cannot be changed by an update');
      const secretsVersion = machineSecretsVersion(ctx, params.app_name, input);
      lifecycle.update(m, config, input.skip_launch === true);
      ctx.secrets.runWith(m.id, secretsVersion);
      const nonce = leaseTtl === undefined ? undefined : grantLease(ctx, m, leaseTtl, '').nonce;
      return { status: 200, body: wire(m, { nonce }) };
    },
    'machines.delete': ({ params, query, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      requireLease(m, headers, clock.now());
      // The spec documents `force`; fly-go and fly-admin send `kill`.
      lifecycle.destroy(m, flag(query, 'force') || flag(query, 'kill'));
      return { status: 200, body: { ok: true } };
    },
  };
}
