/**
 * Fly's Prometheus-compatible metrics API, per org, on the platform API (`https://api.fly.io/prometheus/<org>/`).
 * Each call names the app (and machine) it is about: that is its target, so its cached answer is kept per token
 * under that app's tags, and its rate scope is the app's.
 */
import { defineOperation } from './operation.js';
import { flyQueryRangeResponseSchema, flyQueryResponseSchema } from './wire/metrics.js';

/** A range query: `start`/`end` in Unix seconds, `step` in seconds. */
export interface PromRangeInput {
  org: string;
  /** The app the query is about (its access, cache tags and rate scope). */
  app: string;
  machineId?: string;
  query: string;
  start: number;
  end: number;
  step: number;
}

/** An instant query at `time` (Unix seconds). */
export interface PromInstantInput {
  org: string;
  app: string;
  query: string;
  time: number;
}

/** `GET /prometheus/{org}/api/v1/query_range`. */
export const promQueryRange = defineOperation({
  name: 'metrics.query_range',
  method: 'GET',
  api: 'platform',
  path: '/prometheus/{org}/api/v1/query_range',
  query: (input: PromRangeInput) => ({ query: input.query, start: input.start, end: input.end, step: input.step }),
  response: flyQueryRangeResponseSchema,
  target: (input) => ({ app: input.app, machineId: input.machineId }),
  cache: 'metrics',
});

/** `GET /prometheus/{org}/api/v1/query`. */
export const promQuery = defineOperation({
  name: 'metrics.query',
  method: 'GET',
  api: 'platform',
  path: '/prometheus/{org}/api/v1/query',
  query: (input: PromInstantInput) => ({ query: input.query, time: input.time }),
  response: flyQueryResponseSchema,
  target: (input) => ({ app: input.app }),
  cache: 'metrics',
});
