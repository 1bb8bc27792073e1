/** The organization's volume feed (`GET /orgs/{org}/volumes`), declared once (src/flyio/operation.ts). */
import { defineOperation } from './operation.js';
import { flyOrgVolumesResponseSchema, type FlyOrgVolumesResponse } from './wire/volume.js';

/** Input of {@link orgVolumes}. */
export interface OrgVolumesInput {
  org: string;
  /** Only volumes changed after this instant (RFC 3339); a cursor wins over it, as Fly's spec says. */
  updatedAfter?: string;
  cursor?: string;
  /** Include destroyed volumes, so a poller sees them go. */
  includeDeleted?: boolean;
}

/**
 * Every volume of an organization, oldest change first: what a poller reads to see volumes appear, change and go,
 * one call per thousand changes. Never cached (it is asked for what changed since the last poll).
 */
export const orgVolumes = defineOperation<OrgVolumesInput, FlyOrgVolumesResponse>({
  name: 'orgs.volumes',
  method: 'GET',
  path: '/orgs/{org}/volumes',
  query: ({ updatedAfter, cursor, includeDeleted }) => ({
    updated_after: updatedAfter,
    cursor,
    include_deleted: includeDeleted,
    summary: true,
  }),
  response: flyOrgVolumesResponseSchema,
  // The feed belongs to no app; its rate budget is the organization's (Fly scopes the limit by the org slug).
  target: ({ org }) => ({ app: org }),
});
