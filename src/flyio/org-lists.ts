/**
 * The organization-wide lists as declared operations (what GraphQL's `Organization.machines` and `.volumes` read):
 * one page per call, sorted by `updated_at`, continued by the body's `next_cursor`. Never cached: a change of any
 * app of the org would have to drop them, and nothing tags them so. The sync job reads the same feed through
 * `OrgsApi.machines` (src/flyio/orgs.ts).
 */
import { defineOperation } from './operation.js';
import type { QueryParams } from './request-parts.js';
import { flyOrgMachinesResponseSchema, type FlyOrgMachinesResponse } from './wire/machine.js';
import { flyOrgVolumesResponseSchema, type FlyOrgVolumesResponse } from './wire/volume.js';

/** Input of {@link orgMachinesPage} and {@link orgVolumesPage}. */
export interface OrgListInput {
  org: string;
  cursor?: string;
  /** Advisory page size (Fly's maximum is 1000). */
  limit?: number;
  includeDeleted?: boolean;
  /** RFC 3339: only rows changed after it (a cursor wins over it). */
  updatedAfter?: string;
}

/** Input of {@link orgMachinesPage}: the feed's own filters too. */
export interface OrgMachinesListInput extends OrgListInput {
  region?: string;
  states?: readonly string[];
  /** Rows without their config (image, guest, metadata). */
  summary?: boolean;
}

const listQuery = (input: OrgListInput): QueryParams => ({
  cursor: input.cursor,
  limit: input.limit,
  include_deleted: input.includeDeleted || undefined,
  updated_after: input.cursor ? undefined : input.updatedAfter,
});

/** `GET /orgs/{org}/machines`: one page of the org's machines, oldest change first. */
export const orgMachinesPage = defineOperation<OrgMachinesListInput, FlyOrgMachinesResponse>({
  name: 'orgs.machines',
  method: 'GET',
  path: '/orgs/{org}/machines',
  query: (input) => ({
    ...listQuery(input),
    region: input.region,
    state: input.states && input.states.length > 0 ? input.states.join(',') : undefined,
    summary: input.summary || undefined,
  }),
  response: flyOrgMachinesResponseSchema,
  // The rate scope is the organization (Fly's limits are per action and identifier).
  target: ({ org }) => ({ app: org, org }),
});

/** `GET /orgs/{org}/volumes`: one page of the org's volumes, oldest change first. */
export const orgVolumesPage = defineOperation<OrgListInput, FlyOrgVolumesResponse>({
  name: 'orgs.volumes',
  method: 'GET',
  path: '/orgs/{org}/volumes',
  query: listQuery,
  response: flyOrgVolumesResponseSchema,
  target: ({ org }) => ({ app: org, org }),
});
