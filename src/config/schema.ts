import { z } from 'zod';

const port = z.coerce
  .number({ error: 'expected a whole number from 0 to 65535' })
  .int({ error: 'expected a whole number from 0 to 65535' })
  .min(0, { error: 'expected a whole number from 0 to 65535' })
  .max(65535, { error: 'expected a whole number from 0 to 65535' });
/** A positive whole number: milliseconds, bytes or a count, as each key's description says. */
const positiveInt = z.coerce
  .number({ error: 'expected a positive whole number' })
  .int({ error: 'expected a positive whole number' })
  .positive({ error: 'expected a positive whole number' });
/** An exact browser origin as browsers send it: scheme, host, optional port; no path, no trailing slash. */
const origin = z.string().refine(
  (value) => {
    try {
      return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
    } catch {
      return false;
    }
  },
  { error: 'expected an exact origin such as https://console.example.com (lowercase, no path or trailing slash)' },
);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')], {
  // zod's own text for a failed union is "Invalid input", which names no accepted value.
  error: 'expected true, false, 1 or 0',
});

/** Log levels pino understands. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The whole gateway configuration. Every key is documented with `.describe()`, which names its environment variable;
 * README.md's configuration table says the same for users, with each environment's default (config/<env>.json).
 */
export const configSchema = z.object({
  env: z.enum(['development', 'staging', 'production']).describe('Which config/<env>.json was loaded (APP_ENV).'),
  server: z
    .object({
      port: port.describe('TCP port for GraphQL, GraphiQL, webhooks and health routes (PORT).'),
      host: z.string().min(1).describe('Interface to listen on (HOST).'),
      bodyLimitBytes: positiveInt.describe('Largest accepted GraphQL request body, in bytes (BODY_LIMIT_BYTES).'),
      shutdownGraceMs: positiveInt.describe('How long stop() lets in-flight requests finish (SHUTDOWN_GRACE_MS).'),
      corsOrigins: z
        .array(origin)
        .describe(
          'Browser origins allowed to call the gateway with credentials (CORS) and to open WebSockets, exact matches, comma-separated (CORS_ORIGINS).',
        ),
      corsAllowLocalhost: bool.describe('Also allow any http(s) origin on localhost, 127.0.0.1 or [::1], any port (CORS_ALLOW_LOCALHOST).'),
      headersTimeoutMs: positiveInt.describe(
        'A connection must send complete request headers within this many ms of opening (or of its previous request), else it gets 408 and is closed; this also closes sockets that send nothing (SERVER_HEADERS_TIMEOUT_MS).',
      ),
      requestTimeoutMs: positiveInt.describe(
        'Headers and body of one request must arrive within this many ms; the response (SSE streams) and upgraded WebSockets are not bounded by it (SERVER_REQUEST_TIMEOUT_MS).',
      ),
      keepAliveTimeoutMs: positiveInt.describe(
        'How long an idle keep-alive connection stays open after a response, in ms (SERVER_KEEPALIVE_TIMEOUT_MS).',
      ),
      maxConnections: positiveInt.describe(
        'Most open TCP connections (HTTP, SSE and WebSocket together); further ones are dropped at once (SERVER_MAX_CONNECTIONS).',
      ),
    })
    .refine((s) => s.headersTimeoutMs <= s.requestTimeoutMs, {
      error: 'SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS',
      path: ['headersTimeoutMs'],
    }),
  ws: z.object({
    maxSubscriptionsPerSocket: positiveInt.describe(
      'Most operations open at once on one graphql-ws socket; one more is refused with a SUBSCRIPTION_LIMIT error and the socket stays open (WS_MAX_SUBSCRIPTIONS_PER_SOCKET).',
    ),
    maxSocketsPerAddress: positiveInt.describe(
      'Most graphql-ws sockets open at once from one client address; one more is closed with 4429 (WS_MAX_SOCKETS_PER_ADDRESS).',
    ),
  }),
  sse: z.object({
    maxStreamsPerAddress: positiveInt.describe(
      'Most SSE requests (Accept: text/event-stream) open at once from one client address; one more is answered 429 with STREAM_LIMIT and Retry-After (SSE_MAX_STREAMS_PER_ADDRESS).',
    ),
  }),
  streams: z.object({
    maxPerProcess: positiveInt.describe(
      'Most SSE streams and graphql-ws operations open at once on this instance, together; one more is refused with STREAM_LIMIT (SSE: 429) (STREAMS_MAX_PER_PROCESS).',
    ),
    shedHeapRatio: z.coerce
      .number({ error: 'expected a number above 0, at most 1' })
      .gt(0, { error: 'expected a number above 0, at most 1' })
      .max(1, { error: 'expected a number above 0, at most 1' })
      .describe(
        'While the used heap is above this fraction of the heap limit (--max-old-space-size), new SSE streams, graphql-ws operations and live queries are refused with OVERLOADED (SSE: 503); 1 turns the guard off (STREAMS_SHED_HEAP_RATIO).',
      ),
  }),
  live: z.object({
    throttleMs: positiveInt.describe(
      'A @live query is pushed again at most once per this many ms (per live operation), however often what it read changes (LIVE_THROTTLE_MS).',
    ),
    maxPerAddress: positiveInt.describe(
      'Most @live queries open at once from one client address, over SSE and graphql-ws together; one more is refused with STREAM_LIMIT (LIVE_MAX_PER_ADDRESS).',
    ),
    maxPerProcess: positiveInt.describe(
      'Most @live queries open at once on this instance; one more is refused with STREAM_LIMIT (LIVE_MAX_PER_PROCESS).',
    ),
  }),
  events: z.object({
    maxReplay: positiveInt.describe(
      'Most events one subscription resumed with afterSeq is replayed; a cursor further behind gets a RESYNC with reason replay-too-long and then live events (EVENTS_MAX_REPLAY).',
    ),
    maxConcurrentReplays: positiveInt.describe(
      'Replays running at once on this instance; further resumes wait their turn, their live events kept aside, so none is skipped (EVENTS_MAX_CONCURRENT_REPLAYS).',
    ),
  }),
  health: z.object({
    probeIntervalMs: positiveInt.describe(
      'Dependency probes run at most once per this many ms per instance; /readyz, the health query and health subscriptions all read the cached result (HEALTH_PROBE_INTERVAL_MS).',
    ),
  }),
  fly: z.object({
    token: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Fly API token; when absent the gateway runs in demo mode against the embedded emulator, and refuses to start in production (FLY_API_TOKEN). Secret.',
      ),
    baseUrl: z.url({ protocol: /^https?$/ }).describe('Machines API base URL, without /v1 (FLY_API_BASE_URL).'),
    platformBaseUrl: z
      .url({ protocol: /^https?$/ })
      .default('https://api.fly.io')
      .describe(
        "Fly's platform API (logs, metrics, releases), without a path; in demo mode the embedded emulator serves it (FLY_PLATFORM_BASE_URL).",
      ),
    org: z.string().min(1).describe('Organization slug whose apps are listed (FLY_ORG).'),
    orgs: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected organization slugs such as personal'))
      .default([])
      .describe(
        'Organizations this gateway serves, comma-separated; the sync job polls each. Empty: FLY_ORG for the sync job, and `organizations` asks Fly which orgs the token reaches (FLY_ORGS).',
      ),
    deadlineMs: positiveInt.describe('Deadline for one upstream call including retries, in ms (FLY_API_DEADLINE_MS).'),
    rateLimit: bool.describe("Keep Fly's documented rate budgets client-side (FLY_RATE_LIMIT)."),
  }),
  redis: z.object({
    url: z
      .url({ protocol: /^rediss?$/, error: 'expected a redis:// or rediss:// URL' })
      .optional()
      .describe('Redis for shared cache, events and locks; in-memory when absent (REDIS_URL). Secret.'),
    cluster: bool.describe(
      'REDIS_URL is a seed node of a Redis Cluster: the other masters are discovered from it and the event stream uses a hash-tagged key, {flygate}:events (REDIS_CLUSTER).',
    ),
  }),
  webhooks: z.object({
    secrets: z
      .array(z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'expected whsec_<base64>'))
      .describe('Standard Webhooks secrets, space- or comma-separated for rotation (WEBHOOK_SECRET). Secret.'),
    maxBodyBytes: positiveInt.describe('Largest accepted webhook body, in bytes (WEBHOOK_MAX_BODY_BYTES).'),
  }),
  log: z.object({ level: z.enum(logLevels).describe('pino log level (LOG_LEVEL).') }),
  graphql: z.object({
    graphiql: bool.describe('Serve GraphiQL on GET /graphql from a browser (GRAPHIQL).'),
    federation: bool.describe(
      'Serve the schema as an Apollo Federation v2 subgraph: `_service`, `_entities` and `@key` on App, Machine and Volume (FEDERATION).',
    ),
    introspection: bool.describe('Allow introspection queries (GRAPHQL_INTROSPECTION).'),
    maskSuggestions: bool.describe('Hide "Did you mean" hints in validation errors (GRAPHQL_MASK_SUGGESTIONS).'),
    exposeUpstreamCalls: bool.describe('Add extensions.upstreamCalls to responses (GRAPHQL_EXPOSE_UPSTREAM_CALLS).'),
    maxDepth: positiveInt.describe('Largest selection depth (GRAPHQL_MAX_DEPTH).'),
    maxAliases: positiveInt.describe('Most aliases in one operation (GRAPHQL_MAX_ALIASES).'),
    maxTokens: positiveInt.describe('Most lexical tokens in one document (GRAPHQL_MAX_TOKENS).'),
    maxCost: positiveInt.describe('Largest estimated cost of one operation (GRAPHQL_MAX_COST).'),
    trustedDocuments: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Path of a trusted-documents manifest (schema/generated/persisted-documents.json from npm run codegen); when set only those operations run, sent by documentId, over HTTP and WebSockets (GRAPHQL_TRUSTED_DOCUMENTS).',
      ),
  }),
  sync: z.object({
    enabled: z
      .enum(['auto', 'true', 'false'])
      .describe(
        'Run the polling sync job that turns Fly changes into events; auto = on against real Fly, off in demo mode where the emulator pushes webhooks (SYNC_ENABLED).',
      ),
    intervalMs: positiveInt.describe('Polling interval, in ms (SYNC_INTERVAL_MS).'),
  }),
  cache: z.object({
    enabled: bool.describe('Cache Fly reads across requests, kept fresh by events and writes (CACHE_ENABLED).'),
    ttlMs: z
      .object({
        apps: positiveInt,
        app: positiveInt,
        machines: positiveInt,
        machine: positiveInt,
        events: positiveInt,
        volumes: positiveInt,
        volume: positiveInt,
        snapshots: positiveInt,
        regions: positiveInt,
      })
      .describe('Fresh lifetime of each kind of cached read, in ms; events and writes drop entries sooner (config file only).'),
    staleMs: positiveInt.describe(
      "How long past its lifetime a cached read may still answer while Fly's rate budget is spent, in ms (CACHE_STALE_MS).",
    ),
    localEntries: positiveInt.describe('Entries kept in the in-process cache layer (CACHE_LOCAL_ENTRIES).'),
    responseMaxBytes: z.coerce
      .number({ error: 'expected a whole number of bytes, 0 or more' })
      .int({ error: 'expected a whole number of bytes, 0 or more' })
      .min(0, { error: 'expected a whole number of bytes, 0 or more' })
      .describe(
        'Bytes of whole GraphQL answers each instance keeps, answered again without execution until a read they used changes; 0 turns this layer off (CACHE_RESPONSE_MAX_BYTES).',
      ),
  }),
  deployments: z
    .object({
      historyPerApp: positiveInt
        .default(50)
        .describe(
          'Finished deployments kept per app for App.deployments and rollbackApp; older ones are dropped (DEPLOYMENTS_HISTORY_PER_APP).',
        ),
    })
    .default({ historyPerApp: 50 })
    .describe('Deployment history.'),
  metrics: z
    .object({
      cacheMs: positiveInt
        .default(10_000)
        .describe("How long an answer of Fly's metrics API is reused per token, in ms (METRICS_CACHE_MS)."),
    })
    .default({ cacheMs: 10_000 })
    .describe("Metrics read from Fly's Prometheus API."),
  tracing: z
    .object({
      endpoint: z
        .url({ protocol: /^https?$/ })
        .optional()
        .describe(
          'OTLP/HTTP collector base URL; spans are posted to <endpoint>/v1/traces. Tracing is off (no-op, no cost) when absent (OTEL_EXPORTER_OTLP_ENDPOINT).',
        ),
      serviceName: z.string().min(1).default('flygate').describe('service.name of every span (OTEL_SERVICE_NAME).'),
    })
    .default({ serviceName: 'flygate' })
    .describe('OpenTelemetry tracing: a span per GraphQL operation, cached read and Fly call.'),
  auth: z.object({
    mode: z
      .enum(['none', 'api-keys', 'fly-token', 'oidc'])
      .describe(
        "Who may call: none (anyone, development default), api-keys (Authorization: Bearer <key> from API_KEYS), fly-token (the caller's own Fly token, forwarded to Fly) or oidc (Authorization: Bearer <JWT> of OIDC_ISSUER, API keys accepted beside) (AUTH_MODE).",
      ),
    allowNone: bool.describe('Let a production gateway start with AUTH_MODE=none (it then warns at start) (AUTH_ALLOW_NONE).'),
    apiKeys: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9_.-]+:(read|write|secrets|admin)(\+(read|write|secrets|admin))*:[0-9a-f]{64}(:(\*|[a-z0-9][a-z0-9-]*\*?)(\|(\*|[a-z0-9][a-z0-9-]*\*?))*)?$/,
            'expected name:scopes:sha256hex or name:scopes:sha256hex:apps',
          ),
      )
      .describe(
        'API key entries name:scopes:sha256hex[:apps], comma-separated; scopes read, write, secrets, admin joined by +; apps (names, or prefixes ending in *, joined by |) limit the key to those apps; several entries per name for rotation (API_KEYS). Secret.',
      ),
    keysFile: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A file of further API key entries, one per line (# comments), in the API_KEYS form; re-read when it changes and on SIGHUP, without a restart (API_KEYS_FILE).',
      ),
    oidc: z
      .object({
        issuer: z
          .string()
          .url()
          .optional()
          .describe('The issuer whose JWTs are accepted in AUTH_MODE=oidc: the exact iss claim (OIDC_ISSUER).'),
        audience: z.string().min(1).optional().describe('The audience a JWT must name in its aud claim (OIDC_AUDIENCE).'),
        jwksUrl: z
          .string()
          .url()
          .optional()
          .describe("The issuer's JWKS URL; absent: jwks_uri of <issuer>/.well-known/openid-configuration (OIDC_JWKS_URL)."),
        clockSkewSeconds: z.coerce
          .number()
          .int()
          .min(0)
          .max(300)
          .default(30)
          .describe('Seconds of clock difference tolerated on exp, nbf and iat (OIDC_CLOCK_SKEW_S).'),
        algorithms: z
          .array(z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA']))
          .default(['RS256', 'PS256', 'ES256', 'EdDSA'])
          .describe('Signature algorithms accepted, comma-separated; asymmetric only, so none and HS* never are (OIDC_ALGORITHMS).'),
        scopesClaim: z
          .string()
          .min(1)
          .default('scope')
          .describe('The claim holding scopes, space-separated or an array (OIDC_SCOPES_CLAIM).'),
        scopePrefix: z
          .string()
          .default('flygate:')
          .describe('Only scopes with this prefix count: flygate:read, flygate:write, flygate:admin (OIDC_SCOPE_PREFIX).'),
        appsClaim: z
          .string()
          .min(1)
          .default('flygate:apps')
          .describe(
            'The claim naming the apps a caller may reach: names or prefixes ending in *, an array or |-separated; none: no app (OIDC_APPS_CLAIM).',
          ),
        jwksCooldownMs: z.coerce
          .number()
          .int()
          .min(0)
          .default(30_000)
          .describe(
            'After fetching the JWKS, how long a token with an unknown kid waits before the JWKS may be fetched again, in ms (OIDC_JWKS_COOLDOWN_MS).',
          ),
      })
      .default({
        clockSkewSeconds: 30,
        algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
        scopesClaim: 'scope',
        scopePrefix: 'flygate:',
        appsClaim: 'flygate:apps',
        jwksCooldownMs: 30_000,
      })
      .describe('OpenID Connect: JWTs of one issuer as callers (AUTH_MODE=oidc).'),
    recheckMs: positiveInt.describe(
      'In fly-token mode, how often an open subscription checks again that its token can still read the app, in ms (AUTH_RECHECK_MS).',
    ),
    callerRateLimit: z.coerce
      .number({ error: 'expected a number of requests per second, 0 for none' })
      .min(0, { error: 'expected a number of requests per second, 0 for none' })
      .describe(
        'Requests per second each caller (API key name or Fly token) may make, shared through Redis when configured; 0 turns the limit off; never applied in AUTH_MODE=none (CALLER_RATE_LIMIT).',
      ),
    callerRateBurst: positiveInt.describe('Requests a caller may make at once before CALLER_RATE_LIMIT applies (CALLER_RATE_BURST).'),
  }),
  // Live app logs (docs/OBSERVABILITY.md).
  logs: z
    .object({
      natsUrl: z
        .string()
        .regex(/^(nats|tls):\/\/\S+$/, 'expected a nats:// URL such as nats://[fdaa::3]:4223')
        .optional()
        .describe(
          "Fly's NATS log stream, reachable on Fly's private network only; when set, live logs follow it instead of polling, and poll while it is unreachable (LOGS_NATS_URL).",
        ),
      maxBuffered: positiveInt
        .default(1000)
        .describe('Log lines buffered per live subscriber before it gets a RESYNC (overflow) instead (LOGS_MAX_BUFFERED).'),
      lockTtlMs: positiveInt
        .default(10000)
        .describe(
          "Lifetime of an app's poll-loop lock, in ms: when the instance polling an app dies, another takes over within it (LOGS_LOCK_TTL_MS).",
        ),
    })
    .default({ maxBuffered: 1000, lockTtlMs: 10000 })
    .describe('Live app logs: one upstream stream per app across every instance.'),
  emulator: z.object({
    port: port.describe('Port of the embedded emulator in demo mode; 0 picks a free one (EMULATOR_PORT).'),
    activityIntervalMs: positiveInt.describe('How often demo machines change state, in ms (EMULATOR_ACTIVITY_MS).'),
  }),
});

/** Validated, frozen configuration. */
export type Config = z.infer<typeof configSchema>;

/** Environment variable -> config path. Only these variables are read. */
export const envBindings: Record<string, string> = {
  PORT: 'server.port',
  HOST: 'server.host',
  BODY_LIMIT_BYTES: 'server.bodyLimitBytes',
  SHUTDOWN_GRACE_MS: 'server.shutdownGraceMs',
  CORS_ORIGINS: 'server.corsOrigins',
  CORS_ALLOW_LOCALHOST: 'server.corsAllowLocalhost',
  SERVER_HEADERS_TIMEOUT_MS: 'server.headersTimeoutMs',
  SERVER_REQUEST_TIMEOUT_MS: 'server.requestTimeoutMs',
  SERVER_KEEPALIVE_TIMEOUT_MS: 'server.keepAliveTimeoutMs',
  SERVER_MAX_CONNECTIONS: 'server.maxConnections',
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: 'ws.maxSubscriptionsPerSocket',
  WS_MAX_SOCKETS_PER_ADDRESS: 'ws.maxSocketsPerAddress',
  SSE_MAX_STREAMS_PER_ADDRESS: 'sse.maxStreamsPerAddress',
  STREAMS_MAX_PER_PROCESS: 'streams.maxPerProcess',
  STREAMS_SHED_HEAP_RATIO: 'streams.shedHeapRatio',
  LIVE_THROTTLE_MS: 'live.throttleMs',
  LIVE_MAX_PER_ADDRESS: 'live.maxPerAddress',
  LIVE_MAX_PER_PROCESS: 'live.maxPerProcess',
  LOGS_NATS_URL: 'logs.natsUrl',
  LOGS_MAX_BUFFERED: 'logs.maxBuffered',
  LOGS_LOCK_TTL_MS: 'logs.lockTtlMs',
  EVENTS_MAX_REPLAY: 'events.maxReplay',
  EVENTS_MAX_CONCURRENT_REPLAYS: 'events.maxConcurrentReplays',
  HEALTH_PROBE_INTERVAL_MS: 'health.probeIntervalMs',
  FLY_API_TOKEN: 'fly.token',
  FLY_API_BASE_URL: 'fly.baseUrl',
  FLY_PLATFORM_BASE_URL: 'fly.platformBaseUrl',
  FLY_ORG: 'fly.org',
  FLY_ORGS: 'fly.orgs',
  FLY_API_DEADLINE_MS: 'fly.deadlineMs',
  FLY_RATE_LIMIT: 'fly.rateLimit',
  REDIS_URL: 'redis.url',
  REDIS_CLUSTER: 'redis.cluster',
  WEBHOOK_SECRET: 'webhooks.secrets',
  WEBHOOK_MAX_BODY_BYTES: 'webhooks.maxBodyBytes',
  LOG_LEVEL: 'log.level',
  GRAPHIQL: 'graphql.graphiql',
  FEDERATION: 'graphql.federation',
  GRAPHQL_INTROSPECTION: 'graphql.introspection',
  GRAPHQL_MASK_SUGGESTIONS: 'graphql.maskSuggestions',
  GRAPHQL_EXPOSE_UPSTREAM_CALLS: 'graphql.exposeUpstreamCalls',
  GRAPHQL_MAX_DEPTH: 'graphql.maxDepth',
  GRAPHQL_MAX_ALIASES: 'graphql.maxAliases',
  GRAPHQL_MAX_TOKENS: 'graphql.maxTokens',
  GRAPHQL_MAX_COST: 'graphql.maxCost',
  GRAPHQL_TRUSTED_DOCUMENTS: 'graphql.trustedDocuments',
  SYNC_ENABLED: 'sync.enabled',
  SYNC_INTERVAL_MS: 'sync.intervalMs',
  CACHE_ENABLED: 'cache.enabled',
  CACHE_STALE_MS: 'cache.staleMs',
  CACHE_LOCAL_ENTRIES: 'cache.localEntries',
  CACHE_RESPONSE_MAX_BYTES: 'cache.responseMaxBytes',
  DEPLOYMENTS_HISTORY_PER_APP: 'deployments.historyPerApp',
  METRICS_CACHE_MS: 'metrics.cacheMs',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'tracing.endpoint',
  OTEL_SERVICE_NAME: 'tracing.serviceName',
  AUTH_MODE: 'auth.mode',
  AUTH_ALLOW_NONE: 'auth.allowNone',
  API_KEYS: 'auth.apiKeys',
  API_KEYS_FILE: 'auth.keysFile',
  OIDC_ISSUER: 'auth.oidc.issuer',
  OIDC_AUDIENCE: 'auth.oidc.audience',
  OIDC_JWKS_URL: 'auth.oidc.jwksUrl',
  OIDC_CLOCK_SKEW_S: 'auth.oidc.clockSkewSeconds',
  OIDC_ALGORITHMS: 'auth.oidc.algorithms',
  OIDC_SCOPES_CLAIM: 'auth.oidc.scopesClaim',
  OIDC_SCOPE_PREFIX: 'auth.oidc.scopePrefix',
  OIDC_APPS_CLAIM: 'auth.oidc.appsClaim',
  OIDC_JWKS_COOLDOWN_MS: 'auth.oidc.jwksCooldownMs',
  AUTH_RECHECK_MS: 'auth.recheckMs',
  CALLER_RATE_LIMIT: 'auth.callerRateLimit',
  CALLER_RATE_BURST: 'auth.callerRateBurst',
  EMULATOR_PORT: 'emulator.port',
  EMULATOR_ACTIVITY_MS: 'emulator.activityIntervalMs',
};

/** Config paths that may only come from the environment, never from a committed file. */
export const secretPaths = ['fly.token', 'redis.url', 'webhooks.secrets', 'auth.apiKeys'] as const;
