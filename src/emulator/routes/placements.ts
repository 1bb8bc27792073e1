/**
 * `POST /v1/platform/placements`: where machines of a given size could go. The emulator gives each region of its
 * catalogue (regions.ts) a made-up but stable capacity for one organization, takes off what the org's live machines
 * and volumes already use there, and places the requested count in the order of the region expression. Only a few
 * regions have GPUs, and only of some kinds.
 */
import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody } from '../request-helpers.js';
import { currentConfig } from '../serialize.js';
import { REGIONS, type RegionInfo } from '../regions.js';

/** What one organization may run in one region. */
interface RegionCapacity {
  cpus: number;
  memoryMb: number;
  volumeGb: number;
  gpus: Readonly<Record<string, number>>;
}

const GPU_REGIONS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  ord: { 'a100-40gb': 4, l40s: 8 },
  iad: { 'a100-80gb': 4, l40s: 4 },
  sjc: { a10: 8 },
  ams: { 'a100-80gb': 2 },
};
const KNOWN_GPUS = new Set(Object.values(GPU_REGIONS).flatMap((kinds) => Object.keys(kinds)));

/** Big regions hold more; paid-plan regions hold less for an organization on the free plan (every emulated one). */
function capacityOf(region: RegionInfo): RegionCapacity {
  const scale = region.requires_paid_plan ? 1 : ['iad', 'ord', 'ams', 'lhr', 'fra', 'sjc'].includes(region.code) ? 4 : 2;
  return { cpus: 32 * scale, memoryMb: 65_536 * scale, volumeGb: 500 * scale, gpus: GPU_REGIONS[region.code] ?? {} };
}

interface Guest {
  cpus: number;
  memoryMb: number;
  cpuKind: 'shared' | 'performance';
  gpuKind?: string;
  gpus: number;
}

const intOr = (value: unknown, fallback: number, name: string): number => {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw flyError(400, `${name} must be a non-negative integer`);
  return value;
};

/** The guest to place, checked as Fly checks machine sizes; a performance-1x when none is given. */
function guestOf(raw: unknown): Guest {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw)))
    throw flyError(400, 'compute must be an object');
  const c = (raw ?? {}) as Record<string, unknown>;
  const cpuKind = c.cpu_kind ?? 'performance';
  if (cpuKind !== 'shared' && cpuKind !== 'performance') throw flyError(400, `invalid cpu_kind: ${String(cpuKind)}`);
  const cpus = intOr(c.cpus, 1, 'cpus');
  if (![1, 2, 4, 8, 16].includes(cpus)) throw flyError(400, `invalid cpus: ${cpus} (1, 2, 4, 8 or 16)`);
  const perCpu = cpuKind === 'shared' ? [256, 2048] : [2048, 8192];
  const memoryMb = intOr(c.memory_mb, perCpu[0] * cpus, 'memory_mb');
  if (memoryMb % 256 !== 0 || memoryMb < perCpu[0] * cpus || memoryMb > perCpu[1] * cpus) {
    throw flyError(
      400,
      `invalid memory_mb: ${memoryMb} for ${cpus} ${cpuKind} cpu(s) (${perCpu[0] * cpus}-${perCpu[1] * cpus}, a multiple of 256)`,
    );
  }
  const gpuKind = c.gpu_kind;
  if (gpuKind !== undefined && gpuKind !== '' && (typeof gpuKind !== 'string' || !KNOWN_GPUS.has(gpuKind))) {
    throw flyError(400, `invalid gpu_kind: ${String(gpuKind)}`);
  }
  const gpus = gpuKind ? intOr(c.gpus, 1, 'gpus') || 1 : 0;
  return { cpus, memoryMb, cpuKind, gpuKind: gpuKind ? (gpuKind as string) : undefined, gpus };
}

/** Regions named by a comma-separated expression of codes, geo aliases (`eu`, `na`…) and `any`, first choices first. */
function regionsOf(expression: string): RegionInfo[] {
  const out: RegionInfo[] = [];
  const add = (r: RegionInfo) => {
    if (!out.includes(r)) out.push(r);
  };
  for (const part of expression.split(',').map((p) => p.trim().toLowerCase())) {
    if (!part) continue;
    if (part === 'any') REGIONS.forEach(add);
    else {
      const matching = REGIONS.filter((r) => r.code === part || r.geo_region === part);
      if (matching.length === 0) throw flyError(400, `unknown region or alias: ${part}`);
      matching.forEach(add);
    }
  }
  return out;
}

/** The placements route. */
export function placementRoutes(ctx: RouteContext): Handlers {
  const { store } = ctx;

  /** What the org's live machines and volumes already take in each region. */
  const used = (org: string) => {
    const apps = new Set([...store.apps.values()].filter((a) => a.org === org).map((a) => a.name));
    const byRegion = new Map<
      string,
      { cpus: number; memoryMb: number; volumeGb: number; machines: number; gpus: Record<string, number> }
    >();
    const of = (region: string) => {
      let entry = byRegion.get(region);
      if (!entry) byRegion.set(region, (entry = { cpus: 0, memoryMb: 0, volumeGb: 0, machines: 0, gpus: {} }));
      return entry;
    };
    for (const m of store.machines.values()) {
      if (!apps.has(m.app) || m.state === 'destroyed') continue;
      const guest = (currentConfig(m).guest ?? {}) as Record<string, unknown>;
      const entry = of(m.region);
      entry.machines += 1;
      entry.cpus += typeof guest.cpus === 'number' ? guest.cpus : 1;
      entry.memoryMb += typeof guest.memory_mb === 'number' ? guest.memory_mb : 256;
      if (typeof guest.gpu_kind === 'string') entry.gpus[guest.gpu_kind] = (entry.gpus[guest.gpu_kind] ?? 0) + (Number(guest.gpus) || 1);
    }
    for (const v of store.volumes.values()) if (apps.has(v.app) && v.state !== 'destroyed') of(v.region).volumeGb += v.sizeGb;
    return of;
  };

  return {
    'platform.placements': ({ body }) => {
      const input = objectBody(body);
      if (typeof input.org_slug !== 'string' || input.org_slug === '') throw flyError(400, 'org_slug is required');
      const org = store.resolveOrg(input.org_slug);
      if (!org) throw flyError(404, 'Could not find Organization');
      const guest = guestOf(input.compute);
      const count = intOr(input.count, 0, 'count');
      if (input.region !== undefined && typeof input.region !== 'string') throw flyError(400, 'region must be a string');
      const regions = regionsOf((input.region as string | undefined) || `${ctx.defaultRegion},any`);
      if (input.volume_name !== undefined && typeof input.volume_name !== 'string') throw flyError(400, 'volume_name must be a string');
      const volumeName = (input.volume_name as string | undefined) || undefined;
      const volumeGb = Math.ceil(intOr(input.volume_size_bytes, 0, 'volume_size_bytes') / 1024 ** 3);
      const usage = used(org);

      /** How many such machines (with their volume) still fit in a region for this org. */
      const fits = (region: RegionInfo): number => {
        const cap = capacityOf(region);
        const u = usage(region.code);
        let n = Math.min(Math.floor((cap.cpus - u.cpus) / guest.cpus), Math.floor((cap.memoryMb - u.memoryMb) / guest.memoryMb));
        if (guest.gpuKind) n = Math.min(n, Math.floor(((cap.gpus[guest.gpuKind] ?? 0) - (u.gpus[guest.gpuKind] ?? 0)) / guest.gpus));
        if (volumeGb > 0) n = Math.min(n, Math.floor((cap.volumeGb - u.volumeGb) / volumeGb));
        else if (volumeName) {
          // An existing volume of that name, not attached to a machine, is what a machine there would mount.
          const free = [...store.volumes.values()].filter(
            (v) =>
              v.name === volumeName &&
              v.region === region.code &&
              v.state !== 'destroyed' &&
              !v.attachedMachineId &&
              store.apps.get(v.app)?.org === org,
          );
          n = Math.min(n, free.length);
        }
        return Math.max(0, n);
      };

      const placed: Array<{ region: string; count: number; concurrency: number }> = [];
      let left = count;
      for (const region of regions) {
        if (count > 0 && left <= 0) break;
        const room = fits(region);
        if (room === 0) continue;
        const n = count > 0 ? Math.min(room, left) : room;
        left -= n;
        placed.push({ region: region.code, count: n, concurrency: usage(region.code).machines });
      }
      return { status: 200, body: { regions: placed } };
    },
  };
}
