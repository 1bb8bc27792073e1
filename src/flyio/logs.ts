/**
 * An app's logs, from Fly's platform API (api.fly.io, not the Machines API): `GET /api/v1/apps/{app}/logs`. Fly
 * calls the endpoint undocumented but stable; it is the only way to history. A page comes with `next_token`, an
 * opaque cursor to pass back for what followed; polling with it is how flyctl tails logs.
 */
import { defineOperation } from './operation.js';
import { flyLogsResponseSchema, type FlyLogsResponse } from './wire/logs.js';

/** Input of {@link appLogs}. */
export interface AppLogsInput {
  app: string;
  /** Lines after this cursor (a previous answer's `meta.next_token`). */
  nextToken?: string;
  /** One machine's lines (Fly's `instance`; Fly says it is sometimes flaky, so callers filter again). */
  instance?: string;
  region?: string;
  /** Without a cursor: lines from this instant on (RFC 3339). */
  startTime?: string;
}

/** `GET /api/v1/apps/{app}/logs`: one page of an app's lines. Never cached: every answer moves on. */
export const appLogs = defineOperation<AppLogsInput, FlyLogsResponse>({
  name: 'logs.list',
  api: 'platform',
  method: 'GET',
  path: '/apps/{app}/logs',
  query: ({ nextToken, instance, region, startTime }) => ({ next_token: nextToken, instance, region, start_time: startTime }),
  response: flyLogsResponseSchema,
  target: ({ app }) => ({ app }),
});
