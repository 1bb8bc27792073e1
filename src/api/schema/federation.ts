/**
 * Apollo Federation v2 entities: App, Machine and Volume, for supergraphs that compose Flygate as a subgraph
 * (FEDERATION=true). Each reference resolves through the same loaders as `app(name)` / `machine(...)` / `node(id)`,
 * under the caller's own access, so a representation the caller cannot read (or that names nothing) becomes `null`.
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { FlyErrorCode, isFlyApiError } from '../../flyio/errors.js';
import { machineKey, volumeKey } from '../../services/loaders.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { AppRef } from './app.js';
import { appNameSchema, machineIdSchema } from './inputs.js';
import { MachineRef } from './machines/machine.js';
import { VolumeRef } from './volume.js';

/** Fly volume ids as `createVolume` returns them. */
const VOLUME_ID = /^vol_[0-9a-z]{1,40}$/;

/** Missing, or out of the caller's reach: either way the entity is `null`, never an error that names it. */
function nullWhenUnreadable(error: unknown): null {
  if (isFlyApiError(error) && (error.code === FlyErrorCode.NotFound || error.code === FlyErrorCode.Unauthorized)) return null;
  throw error;
}

async function loadMachine(appName: unknown, machineId: unknown, ctx: GraphQLContext) {
  const app = appNameSchema.safeParse(appName);
  const id = machineIdSchema.safeParse(machineId);
  if (!app.success || !id.success) return null;
  const machine = await ctx.loaders.machine.load(machineKey(app.data, id.data)).catch(nullWhenUnreadable);
  return machine ? { appName: app.data, machine } : null;
}

/** The `app/id` key inside a Machine's global id, or undefined when the id is not a Machine's. */
function machineOfGlobalId(id: unknown): { app: string; machineId: string } | undefined {
  if (typeof id !== 'string') return undefined;
  try {
    const decoded = decodeGlobalID(id);
    const slash = decoded.id.indexOf('/');
    if (decoded.typename !== 'Machine' || slash <= 0) return undefined;
    return { app: decoded.id.slice(0, slash), machineId: decoded.id.slice(slash + 1) };
  } catch {
    return undefined;
  }
}

builder.asEntity(AppRef, {
  key: builder.selection<{ name: string }>('name'),
  resolveReference: async (ref, ctx) => {
    const name = appNameSchema.safeParse(ref.name);
    return name.success ? ctx.loaders.app.load(name.data).catch(nullWhenUnreadable) : null;
  },
});

builder.asEntity(MachineRef, {
  key: [builder.selection<{ appName: string; machineId: string }>('appName machineId'), builder.selection<{ id: string }>('id')],
  resolveReference: async (ref, ctx) => {
    if ('appName' in ref && 'machineId' in ref) return loadMachine(ref.appName, ref.machineId, ctx);
    const parts = 'id' in ref ? machineOfGlobalId(ref.id) : undefined;
    return parts ? loadMachine(parts.app, parts.machineId, ctx) : null;
  },
});

builder.asEntity(VolumeRef, {
  key: builder.selection<{ appName: string; volumeId: string }>('appName volumeId'),
  resolveReference: async (ref, ctx) => {
    const app = appNameSchema.safeParse(ref.appName);
    if (!app.success || typeof ref.volumeId !== 'string' || !VOLUME_ID.test(ref.volumeId)) return null;
    const volume = await ctx.loaders.volume.load(volumeKey(app.data, ref.volumeId)).catch(nullWhenUnreadable);
    return volume ? { appName: app.data, volume } : null;
  },
});
