/**
 * The Machines resource: reads and config changes. Lifecycle actions, `wait`, leases and metadata live in
 * sibling files and are merged into one {@link MachinesApi} here.
 */
import { z } from 'zod';
import { createMachineActions } from './machine-actions.js';
import { createLeaseApi } from './machine-leases.js';
import { createMetadataApi } from './machine-metadata.js';
import { machinePath, machinesPath } from './machine-path.js';
import { createWaitApi } from './machine-wait.js';
import { collectPages } from './pagination.js';
import type { Requester } from './request.js';
import type { ListMachinesInput, MachinesApi } from './types.js';
import { flyMachineEventSchema, flyMachineSchema } from './wire/machine.js';

const machineListSchema = z.array(flyMachineSchema);
const eventListSchema = z.array(flyMachineEventSchema);

function listQuery(input: ListMachinesInput) {
  const query: Record<string, string | number | boolean | readonly string[] | undefined> = {
    state: input.state && input.state.length > 0 ? input.state : undefined,
    region: input.region,
    include_deleted: input.includeDeleted,
    include_leases: input.includeLeases,
    summary: input.summary,
    limit: input.limit,
    cursor: input.cursor,
  };
  // Metadata filters are separate `metadata.{key}=value` parameters, ANDed by Fly.
  for (const [key, value] of Object.entries(input.metadata ?? {})) query[`metadata.${key}`] = value;
  return query;
}

/** Builds the machines API over a requester. */
export function createMachinesApi(requester: Requester): MachinesApi {
  const reads: Pick<MachinesApi, 'list' | 'listAll' | 'get' | 'create' | 'update' | 'events'> = {
    async list(input, options) {
      const result = await requester.send({
        operation: 'machines.list',
        method: 'GET',
        path: machinesPath('machines.list', input.app),
        query: listQuery(input),
        schema: machineListSchema,
        rateScope: input.app,
        options,
      });
      if (!result.ok) return { items: [] };
      return { items: result.data, nextCursor: result.header('fly-next-cursor') };
    },

    listAll(input, options) {
      return collectPages('machines.listAll', (cursor) => reads.list({ ...input, cursor }, options));
    },

    async get(input, options) {
      return requester.call({
        operation: 'machines.get',
        method: 'GET',
        path: machinePath('machines.get', input),
        query: { version: input.version, include_leases: input.includeLeases },
        schema: flyMachineSchema,
        rateScope: input.machineId,
        options,
      });
    },

    async create(input, options) {
      return requester.call({
        operation: 'machines.create',
        method: 'POST',
        path: machinesPath('machines.create', input.app),
        body: {
          config: input.config,
          name: input.name,
          region: input.region,
          skip_launch: input.skipLaunch,
          lease_ttl: input.leaseTtlSeconds,
          min_secrets_version: input.minSecretsVersion,
        },
        schema: flyMachineSchema,
        rateScope: input.app,
        options,
      });
    },

    async update(input, options) {
      return requester.call({
        operation: 'machines.update',
        method: 'POST',
        path: machinePath('machines.update', input),
        body: {
          config: input.config,
          current_version: input.currentVersion,
          skip_launch: input.skipLaunch,
          min_secrets_version: input.minSecretsVersion,
        },
        schema: flyMachineSchema,
        rateScope: input.machineId,
        options,
      });
    },

    async events(input, options) {
      return requester.call({
        operation: 'machines.events',
        method: 'GET',
        path: machinePath('machines.events', input, '/events'),
        query: { limit: input.limit },
        schema: eventListSchema,
        rateScope: input.machineId,
        options,
      });
    },
  };

  return {
    ...reads,
    ...createMachineActions(requester),
    ...createWaitApi(requester),
    ...createLeaseApi(requester),
    ...createMetadataApi(requester),
  };
}
