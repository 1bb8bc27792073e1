/**
 * Platform-wide calls that are declared operations: a placement simulation and an app's deploy token. Neither
 * changes anything the read cache holds (`cacheNeutral`); both are POSTs, so each is sent once and never retried.
 */
import { defineOperation } from './operation.js';
import {
  flyDeployTokenResponseSchema,
  flyPlacementsResponseSchema,
  type FlyDeployTokenResponse,
  type FlyPlacementsResponse,
} from './wire/platform.js';

/** Input of {@link placements}: the machine to place (Fly's `fly.MachineGuest` fields) and where. */
export interface PlacementsInput {
  org: string;
  compute: { cpus: number; memoryMb: number; cpuKind: string; gpuKind?: string };
  /** Region expression: codes and aliases, comma-separated (`lhr,eu`); Fly prefers its nearest region, then any. */
  region?: string;
  count: number;
  volumeName?: string;
  volumeSizeBytes?: number;
}

/** `POST /platform/placements`: simulates placing `count` machines and answers how many go where. */
export const placements = defineOperation<PlacementsInput, FlyPlacementsResponse>({
  name: 'platform.placements',
  method: 'POST',
  path: '/platform/placements',
  body: (input) => ({
    org_slug: input.org,
    compute: {
      cpus: input.compute.cpus,
      memory_mb: input.compute.memoryMb,
      cpu_kind: input.compute.cpuKind,
      ...(input.compute.gpuKind ? { gpu_kind: input.compute.gpuKind } : {}),
    },
    count: input.count,
    ...(input.region ? { region: input.region } : {}),
    ...(input.volumeName ? { volume_name: input.volumeName } : {}),
    ...(input.volumeSizeBytes ? { volume_size_bytes: input.volumeSizeBytes } : {}),
  }),
  response: flyPlacementsResponseSchema,
  // The rate scope is the organization; nothing of it is cached, so nothing is dropped.
  target: ({ org }) => ({ app: org, org }),
  cacheNeutral: true,
});

/** Input of {@link createDeployToken}. */
export interface DeployTokenInput {
  app: string;
  /** Go-style duration (`720h`); Fly's default when absent. */
  expiry?: string;
}

/** `POST /apps/{app}/deploy_token`: mints a token that may deploy this app alone. The answer is shown once. */
export const createDeployToken = defineOperation<DeployTokenInput, FlyDeployTokenResponse>({
  name: 'apps.deploy_token',
  method: 'POST',
  path: '/apps/{app}/deploy_token',
  body: ({ expiry }) => (expiry === undefined ? {} : { expiry }),
  response: flyDeployTokenResponseSchema,
  target: ({ app }) => ({ app }),
  cacheNeutral: true,
});
