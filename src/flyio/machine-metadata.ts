/** Machine metadata (`config.metadata`), read whole; its writes (one key at a time) are declared in machine-actions.ts. */
import { z } from 'zod';
import { machinePath } from './machine-path.js';
import type { Requester } from './request.js';
import type { MachinesApi } from './types.js';

const metadataSchema = z.record(z.string(), z.string());

/** Builds the metadata methods over a requester. */
export function createMetadataApi(requester: Requester): Pick<MachinesApi, 'getMetadata'> {
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
  };
}
