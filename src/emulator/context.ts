import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../lib/clock.js';
import type { IdFactory } from './ids.js';
import type { Lifecycle } from './lifecycle.js';
import type { RouteId } from './route-table.js';
import type { SecretsStore } from './secrets-store.js';
import type { Store } from './store.js';
import type { Waiters } from './waiters.js';

/** A parsed request as route handlers see it. */
export interface EmuRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; undefined when the body is empty. */
  body: unknown;
  /** Aborted when the client goes away, so long-polls can stop waiting. */
  signal: AbortSignal;
  /** Whether the request's token may see an app (lists leave the others out). */
  canSee: (app: string) => boolean;
}

/** What a handler answers. `body` undefined means an empty body. */
export interface EmuResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route handler. Throw {@link HttpError} for error answers. */
export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

/** Handlers keyed by route id. */
export type Handlers = Partial<Record<RouteId, Handler>>;

/** Shared dependencies of all route handlers of one emulator. */
export interface RouteContext {
  store: Store;
  lifecycle: Lifecycle;
  waiters: Waiters;
  clock: Clock;
  ids: IdFactory;
  /** Identity reported as lease owner and token user. */
  owner: string;
  defaultRegion: string;
  /** App secrets, secret keys and the secrets version each machine runs with. */
  secrets: SecretsStore;
}
