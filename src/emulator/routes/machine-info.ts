import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { intQuery, objectBody, requireLease } from '../request-helpers.js';
import { currentConfig } from '../serialize.js';
import type { MachineRecord } from '../types.js';

function memoryMb(m: MachineRecord): number {
  const guest = currentConfig(m).guest ?? {};
  return typeof guest.memory_mb === 'number' ? guest.memory_mb : 256;
}

/** Fake but plausible process list of a running machine. */
function processes(m: MachineRecord, nowMs: number): Array<Record<string, unknown>> {
  if (m.state !== 'started') return [];
  const uptime = Math.max(0, Math.floor((nowMs - m.updatedAtMs) / 1000));
  const cmd = currentConfig(m).init as { cmd?: string[] } | undefined;
  return [
    { pid: 1, command: '/.fly/init', cpu: 1, rss: 12_000_000, rtime: uptime, stime: 1, directory: '/', listen_sockets: [] },
    {
      pid: 313,
      command: cmd?.cmd?.join(' ') || 'app',
      cpu: 7,
      rss: memoryMb(m) * 300_000,
      rtime: uptime,
      stime: 3,
      directory: '/app',
      listen_sockets: [{ address: '0.0.0.0:8080', proto: 'tcp' }],
    },
  ];
}

/** Handlers for events, versions, ps and memory. */
export function machineInfoRoutes(ctx: RouteContext): Handlers {
  const { store, clock } = ctx;
  return {
    'machines.events': ({ params, query }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      const limit = intQuery(query, 'limit', 1, 50) ?? 20;
      return { status: 200, body: m.events.slice(-limit).reverse() };
    },
    'machines.versions': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      return { status: 200, body: [...m.versions].reverse().map((v) => ({ version: v.version, user_config: v.config })) };
    },
    'machines.ps': ({ params, query }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const list = processes(m, clock.now());
      const sortBy = query.get('sort_by');
      if (sortBy && ['cpu', 'rss', 'pid', 'rtime', 'stime'].includes(sortBy)) {
        const dir = query.get('order') === 'desc' ? -1 : 1;
        list.sort((a, b) => dir * ((a[sortBy] as number) - (b[sortBy] as number)));
      }
      return { status: 200, body: list };
    },
    'machines.memory.get': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const limit = m.memoryLimitMb ?? memoryMb(m);
      return { status: 200, body: { limit_mb: limit, available_mb: Math.floor(limit * 0.6) } };
    },
    'machines.memory.set': ({ params, body, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      requireLease(m, headers, clock.now());
      const limit = objectBody(body).limit_mb;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit <= 0 || limit > memoryMb(m)) {
        throw flyError(400, `limit_mb must be an integer between 1 and ${memoryMb(m)}`);
      }
      m.memoryLimitMb = limit;
      return { status: 200, body: { limit_mb: limit, available_mb: Math.floor(limit * 0.6) } };
    },
    'machines.memory.reclaim': ({ params, body, headers }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      requireLease(m, headers, clock.now());
      const amount = objectBody(body).amount_mb;
      if (typeof amount !== 'number' || amount < 0) throw flyError(400, 'amount_mb must be a non-negative number');
      const limit = m.memoryLimitMb ?? memoryMb(m);
      return { status: 200, body: { actual_mb: Math.min(Math.floor(amount), Math.floor(limit * 0.4)) } };
    },
  };
}
