/** The platform catalogue: `/v1/platform/regions`. */
import type { Requester } from './request.js';
import type { PlatformApi } from './types.js';
import { flyRegionsResponseSchema } from './wire/platform.js';

/** Builds the platform API over a requester. */
export function createPlatformApi(requester: Requester): PlatformApi {
  return {
    async regions(options) {
      return requester.call({
        operation: 'platform.regions',
        method: 'GET',
        path: '/platform/regions',
        schema: flyRegionsResponseSchema,
        rateScope: 'platform',
        options,
      });
    },
  };
}
