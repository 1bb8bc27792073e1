import { getHeapStatistics } from 'node:v8';
import { GraphQLError } from 'graphql';
import { createKeyedLimiter } from './keyed-limiter.js';

/** `extensions.code` of a stream or live operation refused because its address or the process holds too many. */
export const STREAM_LIMIT = 'STREAM_LIMIT';
/** `extensions.code` of a stream or live operation refused because the heap is close to its limit. */
export const OVERLOADED = 'OVERLOADED';

/** Why something was not opened, and what the client is told. */
export interface StreamRefusal {
  code: typeof STREAM_LIMIT | typeof OVERLOADED;
  /** HTTP status for SSE: 429 for a cap, 503 while the heap is high. */
  status: 429 | 503;
  message: string;
  /** The cap that was reached (absent for {@link OVERLOADED}). */
  limit?: number;
  /** Sent as `Retry-After` and `extensions.retryAfterSeconds`. */
  retryAfterSeconds: number;
}

/** A slot that was granted: give it back once, when the stream or operation ends (later calls do nothing). */
export type StreamSlot = { ok: true; release: () => void };
/** The answer of every `open…` call. */
export type StreamAdmission = StreamSlot | { ok: false; refusal: StreamRefusal };

/**
 * What may be open at once, per client address and per process, so that one address (or a flood from many) cannot
 * hold enough streams to exhaust the heap: every stream and live operation holds memory for as long as it is open.
 * One per gateway.
 */
export interface StreamLimits {
  /** An SSE request from `address`: under `SSE_MAX_STREAMS_PER_ADDRESS` and `STREAMS_MAX_PER_PROCESS`. */
  openSse(address: string): StreamAdmission;
  /** One graphql-ws operation (any kind): under `STREAMS_MAX_PER_PROCESS` (the per-address cap is on sockets). */
  openWsOperation(): StreamAdmission;
  /** One `@live` operation over either transport; `address` is undefined in process (`gateway.fetch`). */
  openLive(address: string | undefined): StreamAdmission;
  /** Open SSE streams and graphql-ws operations, and live operations. */
  counts(): { streams: number; live: number };
}

/** Options of {@link createStreamLimits}. */
export interface StreamLimitsOptions {
  sseMaxPerAddress: number;
  maxPerProcess: number;
  liveMaxPerAddress: number;
  liveMaxPerProcess: number;
  /** New streams are refused while the used heap is above this fraction of the heap limit; 1 turns the guard off. */
  shedHeapRatio: number;
  /** Used heap in bytes. @default V8's used_heap_size */
  heapUsed?: () => number;
  /** @default V8's heap_size_limit (what `--max-old-space-size` sets) */
  heapLimit?: number;
  /** Told of every refusal (a metric). */
  onRefused?: (kind: 'sse' | 'ws' | 'live', code: StreamRefusal['code']) => void;
}

/** Seconds a refused client is asked to wait: long enough for streams to close, short enough to come back soon. */
const RETRY_AFTER_SECONDS = 5;

/** Creates the {@link StreamLimits} of one gateway. */
export function createStreamLimits(options: StreamLimitsOptions): StreamLimits {
  const heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const heapLimit = options.heapLimit ?? getHeapStatistics().heap_size_limit;
  const shedAbove = options.shedHeapRatio >= 1 ? Infinity : options.shedHeapRatio * heapLimit;
  const ssePerAddress = createKeyedLimiter(options.sseMaxPerAddress);
  const livePerAddress = createKeyedLimiter(options.liveMaxPerAddress);
  let streams = 0;
  let live = 0;

  const overCap = (limit: number, what: string): StreamAdmission => ({
    ok: false,
    refusal: {
      code: STREAM_LIMIT,
      status: 429,
      limit,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      message: `${what}; close one first or retry later.`,
    },
  });
  const overloaded = (): StreamAdmission | undefined =>
    heapUsed() > shedAbove
      ? {
          ok: false,
          refusal: {
            code: OVERLOADED,
            status: 503,
            retryAfterSeconds: RETRY_AFTER_SECONDS,
            message: 'The gateway is short of memory and opens no new streams for now; retry later.',
          },
        }
      : undefined;
  // Releasing twice (a stream that both ends and is aborted) must not free someone else's slot.
  const once = (release: () => void): StreamSlot => {
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        release();
      },
    };
  };

  const limits: StreamLimits = {
    openSse(address) {
      if (streams >= options.maxPerProcess) return overCap(options.maxPerProcess, 'This instance holds as many streams as it may');
      const shed = overloaded();
      if (shed) return shed;
      if (!ssePerAddress.acquire(address)) {
        return overCap(options.sseMaxPerAddress, `At most ${options.sseMaxPerAddress} SSE streams may be open at once from one address`);
      }
      streams += 1;
      return once(() => {
        streams -= 1;
        ssePerAddress.release(address);
      });
    },
    openWsOperation() {
      if (streams >= options.maxPerProcess) return overCap(options.maxPerProcess, 'This instance holds as many streams as it may');
      const shed = overloaded();
      if (shed) return shed;
      streams += 1;
      return once(() => (streams -= 1));
    },
    openLive(address) {
      if (live >= options.liveMaxPerProcess) {
        return overCap(options.liveMaxPerProcess, 'This instance holds as many live queries as it may');
      }
      const shed = overloaded();
      if (shed) return shed;
      if (address !== undefined && !livePerAddress.acquire(address)) {
        return overCap(options.liveMaxPerAddress, `At most ${options.liveMaxPerAddress} live queries may be open at once from one address`);
      }
      live += 1;
      return once(() => {
        live -= 1;
        if (address !== undefined) livePerAddress.release(address);
      });
    },
    counts: () => ({ streams, live }),
  };
  const { onRefused } = options;
  if (!onRefused) return limits;
  const told =
    (kind: 'sse' | 'ws' | 'live') =>
    (admission: StreamAdmission): StreamAdmission => {
      if (!admission.ok) onRefused(kind, admission.refusal.code);
      return admission;
    };
  return {
    openSse: (address) => told('sse')(limits.openSse(address)),
    openWsOperation: () => told('ws')(limits.openWsOperation()),
    openLive: (address) => told('live')(limits.openLive(address)),
    counts: limits.counts,
  };
}

/**
 * The GraphQL error a refused operation gets. With `http` (SSE), yoga answers with the refusal's status and
 * `Retry-After`; graphql-ws sends the error as the operation's `error` message and keeps the socket open.
 */
export function refusalError(refusal: StreamRefusal, { http }: { http: boolean }): GraphQLError {
  return new GraphQLError(refusal.message, {
    extensions: {
      code: refusal.code,
      ...(refusal.limit === undefined ? {} : { limit: refusal.limit }),
      retryAfterSeconds: refusal.retryAfterSeconds,
      ...(http ? { http: { status: refusal.status, headers: { 'Retry-After': String(refusal.retryAfterSeconds) } } } : {}),
    },
  });
}
