import type { Handlers, RouteContext } from '../context.js';
import { allocateIps, ipsOf, ipToWire, releaseIp, validateAllocate } from '../ip-assignments.js';
import { objectBody } from '../request-helpers.js';

/** Handlers for `/v1/apps/{app_name}/ip_assignments` (MACHINES-API.md §2.1). */
export function ipAssignmentRoutes(ctx: RouteContext): Handlers {
  const { store } = ctx;
  return {
    'ips.list': ({ params }) => {
      store.getApp(params.app_name);
      return { status: 200, body: { ips: ipsOf(store, params.app_name).map((ip) => ipToWire(ip, store.org)) } };
    },
    'ips.create': ({ params, body }) => {
      store.getApp(params.app_name);
      const made = allocateIps(ctx, validateAllocate(ctx, objectBody(body), params.app_name));
      if (made.length === 1) return { status: 200, body: ipToWire(made[0], store.org) };
      // egress_pair: both addresses in ip_pair, no single `ip`.
      const { ip: _v4, ...common } = ipToWire(made[0], store.org);
      return { status: 200, body: { ...common, ip_pair: { v4: made[0].ip, v6: made[1].ip } } };
    },
    'ips.delete': ({ params }) => {
      store.getApp(params.app_name);
      releaseIp(ctx, params.app_name, params.ip);
      return { status: 204 };
    },
  };
}
