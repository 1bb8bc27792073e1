/**
 * `createFlyClient`: the one implementation of {@link FlyClient}. It validates options, builds the shared request
 * path (auth header, deadline, retries, rate budgets) and hands it to one small module per Fly resource.
 */
import { Agent, type Dispatcher } from 'undici';
import { systemClock } from '../lib/clock.js';
import { createAppsApi } from './apps.js';
import { createRedactor, formatAuthorization } from './auth.js';
import { createMachinesApi } from './machines.js';
import { callOperation } from './operation-call.js';
import { resolveOptions } from './options.js';
import { createOrgsApi } from './orgs.js';
import { createPlatformApi } from './platform.js';
import { createRateBudget } from './rate-limit.js';
import { createRequester } from './request.js';
import { createTokensApi } from './tokens.js';
import type { FlyClient, FlyClientOptions } from './types.js';
import { createVolumesApi } from './volumes.js';

/** Longest a call queues for a local rate token before it is shed (further bounded by its deadline). */
export const MAX_RATE_QUEUE_WAIT_MS = 2000;
const DEFAULT_USER_AGENT = 'flygate-fly-client/0.1';

function createOwnAgent(deadlineMs: number): Agent {
  // Explicit timeouts: undici's 300 s defaults would let a hung Fly hold a socket for five minutes.
  return new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    headersTimeout: deadlineMs,
    bodyTimeout: deadlineMs,
    connect: { timeout: Math.min(deadlineMs, 10_000) },
    connections: 64,
  });
}

/**
 * Creates a Fly Machines API client. Throws a TypeError listing every invalid option. The client owns a
 * keep-alive connection pool unless `options.dispatcher` is given; `close()` releases only what it owns.
 */
export function createFlyClient(options: FlyClientOptions): FlyClient {
  const resolved = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  const ownAgent = options.dispatcher ? undefined : createOwnAgent(resolved.deadlineMs);
  const dispatcher: Dispatcher = options.dispatcher ?? (ownAgent as Agent);
  const requestContext = {
    baseUrl: resolved.baseUrl,
    authorization: formatAuthorization(options.token),
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    dispatcher,
    clock,
    random: options.random ?? Math.random,
    retry: resolved.retry,
    deadlineMs: resolved.deadlineMs,
    budget: resolved.rateLimit ? (options.rateBudget ?? createRateBudget({ clock })) : undefined,
    maxQueueWaitMs: MAX_RATE_QUEUE_WAIT_MS,
    onCall: options.onCall,
    onCallerToken: options.onCallerToken,
    redact: createRedactor(options.token),
    tracing: options.tracing,
  };
  const requester = createRequester(requestContext);
  // The platform API shares everything but its base: the same token, deadline, retries and rate budget.
  const platformRequester = createRequester({ ...requestContext, baseUrl: `${resolved.platformBaseUrl}/api` });

  let closed: Promise<void> | undefined;
  return {
    call: (operation, input, options) =>
      callOperation(operation.api === 'platform' ? platformRequester : requester, operation, input, options),
    apps: createAppsApi(requester),
    machines: createMachinesApi(requester),
    volumes: createVolumesApi(requester),
    orgs: createOrgsApi(requester),
    platform: createPlatformApi(requester),
    tokens: createTokensApi(requester),
    close() {
      closed ??= ownAgent ? ownAgent.close().then(() => undefined) : Promise.resolve();
      return closed;
    },
  };
}
