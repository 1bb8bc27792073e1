/** Organization-wide feeds: `/v1/orgs/{org}/machines`, designed for polling by `updated_after`. */
import { segment } from './request-parts.js';
import type { Requester } from './request.js';
import type { OrgsApi } from './types.js';
import { flyOrgMachinesResponseSchema } from './wire/machine.js';

/** Builds the orgs API over a requester. */
export function createOrgsApi(requester: Requester): OrgsApi {
  return {
    async machines(input, options) {
      return requester.call({
        operation: 'orgs.machines',
        method: 'GET',
        path: `/orgs/${segment('orgs.machines', 'org', input.org)}/machines`,
        query: {
          updated_after: input.updatedAfter,
          cursor: input.cursor,
          limit: input.limit,
          include_deleted: input.includeDeleted,
          summary: input.summary,
        },
        schema: flyOrgMachinesResponseSchema,
        rateScope: input.org,
        options,
      });
    },
  };
}
