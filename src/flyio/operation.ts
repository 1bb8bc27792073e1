/**
 * One Fly operation, declared once. A declaration says everything the layers above need and nothing they own:
 * the request (method, path template, query, body, wire schema), what it reads or changes (its target, from which
 * the rate scope and the cache tags follow; a write on a machine is a machine change, as its events are), and how
 * long a cached answer may serve. Retrying follows the method: reads are retried, writes sent once. The client calls any declaration (`FlyClient.call`), the read cache caches or invalidates by
 * it, and the GraphQL layer exposes a thin one as a field or a mutation without a use case of its own
 * (docs/ARCHITECTURE.md, "Adding a Fly operation").
 */
import type { z } from 'zod';
import { buildQuery, segment, type QueryParams } from './request-parts.js';
import type { HttpMethod } from './request.js';

/** An app's collections besides machines, each with a cache tag of its own (`{app}:volumes`, …). */
export type FlyCollection = 'volumes' | 'secrets' | 'certificates' | 'ip-addresses' | 'postgres';

/**
 * What an operation reads or changes: an app, one machine of it, or one of its collections. The rate scope is the
 * app; the cache tags follow the rest (a machine, the collection, or the app).
 */
export interface FlyTarget {
  app: string;
  machineId?: string;
  /**
   * A write that creates or removes the app itself: the organization slugs whose app lists it changes (each list is
   * cached under the slug it was read with).
   */
  orgs?: readonly string[];
  /** The app's collection the operation reads or changes; a write to it drops the collection's and the app's entries. */
  collection?: FlyCollection;
  /**
   * Set when the operation reaches a whole organization (its slug), not one app: `app` then only names the rate
   * scope and the cache's, and a caller limited to some apps is refused it in those words.
   */
  org?: string;
}

/**
 * How long a cached answer of a read may serve, named after the read cache's entity with the same lifetime
 * (`cache.ttlMs.<entity>`); a machine's sub-resources (versions, memory) live as long as the machine; `metrics`
 * answers live `METRICS_CACHE_MS`.
 */
export type FlyCacheLifetime = 'machine' | 'app' | 'metrics';

/** The declaration of one operation; `Output` is what a success body parses to (`void` when it is ignored). */
export interface FlyOperation<Input, Output> {
  /** Logical name (`machines.memory.set`): errors, metrics, spans and the rate-budget action. */
  readonly name: string;
  readonly method: HttpMethod;
  /** Path under `/v1` with `{field}` placeholders filled from the input, each encoded and required non-empty. */
  readonly path: string;
  /**
   * `platform`: an endpoint of Fly's platform API (`https://api.fly.io`: logs, metrics, releases), whose path is taken
   * from that base URL as it is (`/api/v1/apps/{app}/logs`, `/prometheus/{org}/api/v1/query`). @default 'machines'
   */
  readonly api?: 'machines' | 'platform';
  readonly query?: (input: Input) => QueryParams;
  readonly body?: (input: Input) => unknown;
  /** The wire schema of a success body; absent when the body is drained and ignored. */
  readonly response?: z.ZodType<Output>;
  /** What it reads or changes. A write drops every cached read of its target (and the app's lists). */
  readonly target: (input: Input) => FlyTarget;
  /** For a read (GET): cache its answers for this lifetime. Absent: always asked of Fly (process lists). */
  readonly cache?: FlyCacheLifetime;
  /**
   * For a read without `cache`: identical reads of one tenant in flight at the same moment share one Fly call, and
   * nothing is kept once it answers (a change to its target makes later reads ask Fly again).
   */
  readonly shareInFlight?: boolean;
  /**
   * For a non-GET that changes nothing the read cache holds (a placement simulation, minting a token): still sent
   * once and never retried or cached, but it drops no cached reads.
   */
  readonly cacheNeutral?: boolean;
}

/** Any declaration, whatever its input and output (what generic code takes). */
export type AnyFlyOperation = FlyOperation<never, unknown>;

/** Declares an operation (a typed identity: the shape is checked where it is written). */
export function defineOperation<Input, Output = void>(operation: FlyOperation<Input, Output>): FlyOperation<Input, Output> {
  return Object.freeze(operation);
}

/**
 * Whether an operation changes nothing: a GET. Only those are retried by the request path and cached; every other
 * method is sent once and drops what its target had cached.
 */
export function isRead(operation: Pick<AnyFlyOperation, 'method'>): boolean {
  return operation.method === 'GET';
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The path of one call: every `{field}` of the template replaced by the input's encoded value. */
export function operationPath<Input>(operation: FlyOperation<Input, unknown>, input: Input): string {
  const values = input as Record<string, unknown>;
  return operation.path.replace(PLACEHOLDER, (_, field: string) => segment(operation.name, field, values[field] as string));
}

/** A stable text of one call (name, path and query), for de-duplication within a request and cache ids. */
export function operationKey<Input>(operation: FlyOperation<Input, unknown>, input: Input): string {
  return `${operation.name} ${operationPath(operation, input)}${buildQuery(operation.query?.(input))}`;
}
