/** Machine metadata (`config.metadata`), read whole and written one key at a time. */
import { z } from 'zod';
import { machinePath } from './machine-path.js';
import { requireNonEmpty, segment } from './request-parts.js';
import type { Requester } from './request.js';
import type { MachinesApi } from './types.js';

const metadataSchema = z.record(z.string(), z.string());

/** Builds the metadata methods over a requester. */
export function createMetadataApi(requester: Requester): Pick<MachinesApi, 'getMetadata' | 'setMetadata' | 'deleteMetadata'> {
  return {
    async getMetadata(input, options) {
      return requester.call({
        operation: 'machines.getMetadata',
        method: 'GET',
        path: machinePath('machines.getMetadata', input, '/metadata'),
        schema: metadataSchema,
        // A machine without metadata may answer with an empty body.
        unwrap: (raw) => raw ?? {},
        rateScope: input.machineId,
        options,
      });
    },

    async setMetadata(input, options) {
      const key = segment('machines.setMetadata', 'key', input.key);
      if (typeof input.value !== 'string') requireNonEmpty('machines.setMetadata', 'value', input.value);
      await requester.call({
        operation: 'machines.setMetadata',
        method: 'POST',
        path: machinePath('machines.setMetadata', input, `/metadata/${key}`),
        body: { value: input.value },
        rateScope: input.machineId,
        options,
      });
    },

    async deleteMetadata(input, options) {
      const key = segment('machines.deleteMetadata', 'key', input.key);
      await requester.call({
        operation: 'machines.deleteMetadata',
        method: 'DELETE',
        path: machinePath('machines.deleteMetadata', input, `/metadata/${key}`),
        rateScope: input.machineId,
        options,
      });
    },
  };
}
