import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody } from '../request-helpers.js';
import { currentConfig, currentVersion } from '../serialize.js';
import type { MachineRecord } from '../types.js';

/** Own keys only: `constructor`, `toString` or `__proto__` are ordinary metadata keys, not Object.prototype members. */
const hasKey = (md: Record<string, string>, key: string): boolean => Object.hasOwn(md, key);

/** Writes a key as an own property, so `__proto__` is stored rather than swallowed by the prototype setter. */
function putKey(md: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(md, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Handlers for machine metadata (MACHINES-API.md §8). Metadata lives in `config.metadata` of the current version. */
export function metadataRoutes(ctx: RouteContext): Handlers {
  const { store, lifecycle } = ctx;

  const metadataOf = (m: MachineRecord): Record<string, string> => {
    const config = currentConfig(m);
    config.metadata ??= {};
    return config.metadata;
  };

  const merge: NonNullable<Handlers['machines.metadata.patch']> = ({ params, body }) => {
    const m = store.getMachine(params.app_name, params.machine_id);
    const input = objectBody(body);
    const patch = input.metadata;
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw flyError(400, 'metadata must be an object');
    const version = currentVersion(m);
    if (typeof input.machine_version === 'string' && input.machine_version && input.machine_version !== version) {
      throw flyError(412, `machine version mismatch: current version is ${version}`);
    }
    for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
      if (v !== null && v !== '' && typeof v !== 'string') throw flyError(400, `metadata value for ${k} must be a string or null`);
    }
    const md = metadataOf(m);
    for (const [k, v] of Object.entries(patch as Record<string, string | null>)) {
      if (v === null || v === '') delete md[k];
      else putKey(md, k, v);
    }
    lifecycle.touch(m);
    return { status: 204 };
  };

  return {
    'machines.metadata.list': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      return { status: 200, body: { ...(currentConfig(m).metadata ?? {}) } };
    },
    'machines.metadata.patch': merge,
    // The spec keeps PUT as a deprecated alias that merges like PATCH.
    'machines.metadata.put': merge,
    'machines.metadata.get': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id, true);
      const md = currentConfig(m).metadata ?? {};
      if (!hasKey(md, params.key)) throw flyError(404, `metadata key not found: ${params.key}`);
      return { status: 200, body: { value: md[params.key] } };
    },
    'machines.metadata.set': ({ params, body }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const value = objectBody(body).value;
      if (typeof value !== 'string') throw flyError(400, 'value must be a string');
      putKey(metadataOf(m), params.key, value);
      lifecycle.touch(m);
      return { status: 204 };
    },
    'machines.metadata.delete': ({ params }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const md = metadataOf(m);
      if (!hasKey(md, params.key)) throw flyError(404, `metadata key not found: ${params.key}`);
      delete md[params.key];
      lifecycle.touch(m);
      return { status: 204 };
    },
  };
}
