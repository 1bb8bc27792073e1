/** An app's releases on Fly's platform API (`https://api.fly.io/api/v1/apps/<app>/releases`), newest first. */
import { defineOperation } from './operation.js';
import { flyReleasesResponseSchema } from './wire/metrics.js';

/** `GET /api/v1/apps/{app}/releases?limit=`. */
export const listReleases = defineOperation({
  name: 'releases.list',
  method: 'GET',
  api: 'platform',
  path: '/api/v1/apps/{app}/releases',
  query: (input: { app: string; limit: number }) => ({ limit: input.limit }),
  response: flyReleasesResponseSchema,
  target: (input) => ({ app: input.app }),
  cache: 'app',
});
