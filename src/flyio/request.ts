/**
 * The one private path every Fly call takes: rate budget, deadline, attempt, error mapping, retry. Resource
 * files only describe requests (method, path, query, body, schema); nothing else in the client talks to undici.
 */
import { createHash } from 'node:crypto';
import { request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import { createRedactor, formatAuthorization, stripAuthScheme } from './auth.js';
import { decodeJson, invalidResponse, MAX_ERROR_BODY_BYTES, MAX_SUCCESS_BODY_BYTES, parseWire, readBoundedText } from './body.js';
import { startDeadline, type Deadline } from './deadline.js';
import { classifyTransportError, notStartedError, safeCause, statusError, transportError } from './error-map.js';
import { FlyApiError, FlyErrorCode, isFlyApiError } from './errors.js';
import type { RateBudget } from './rate-limit.js';
import { backoffDelayMs, isRetryable, isSafeMethod, parseRetryAfterMs, type AttemptFailure, type RetrySettings } from './retry.js';
import { buildQuery, HEADER_SAFE, headerReader, type QueryParams } from './request-parts.js';
import { startCallSpan, type FlyTracing } from './call-span.js';
import type { CallOptions, FlyCallRecord } from './types.js';

/** Longest `fly-request-id` kept on an error (real ones are a few dozen characters). */
const MAX_REQUEST_ID_CHARS = 128;

/** What a call told about a caller's token: Fly took it, or refused it as a credential. */
export type CallerTokenVerdict = 'accepted' | 'rejected';

/**
 * A failed call's word on the token: any answer from Fly other than 401/403 means it was authenticated; a 401/403
 * to a read means Fly refused the token itself (to a write it may only mean the token is read-only). Failures that
 * never reached Fly (deadlines, the local rate budget, network) say nothing.
 */
function tokenVerdictOf(method: HttpMethod, error: unknown): CallerTokenVerdict | undefined {
  if (!isFlyApiError(error) || error.httpStatus === undefined) return undefined;
  if (error.code !== FlyErrorCode.Unauthorized) return 'accepted';
  return isSafeMethod(method) ? 'rejected' : undefined;
}

/** HTTP methods the Machines API uses. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Everything the request path needs, resolved and validated by the factory. */
export interface RequestContext {
  baseUrl: string;
  /** Fly's platform API (metrics, releases), for specs with `root: 'platform'`. */
  platformBaseUrl: string;
  authorization: string;
  userAgent: string;
  dispatcher: Dispatcher;
  clock: Clock;
  random: () => number;
  retry: RetrySettings;
  deadlineMs: number;
  /** Local rate budget; absent when disabled. */
  budget?: RateBudget;
  /** Longest a call may queue for a local rate token. */
  maxQueueWaitMs: number;
  onCall?: (record: FlyCallRecord) => void;
  /** Told, for a caller's own token (by its fingerprint), whether Fly accepted it; see {@link FlyClientOptions}. */
  onCallerToken?: (fingerprint: string, verdict: CallerTokenVerdict) => void;
  redact: (text: string) => string;
  /** One span per call when tracing is on. */
  tracing?: FlyTracing;
}

/** One logical call, as a resource file describes it. */
export interface FlyRequestSpec<T> {
  /** Logical name (`machines.start`): used in errors, `onCall` and as the rate-budget action. */
  operation: string;
  method: HttpMethod;
  /** Path under `/v1` (under the platform base URL with `root: 'platform'`), with segments already encoded. */
  path: string;
  /** Which API: the Machines API (`/v1` prepended) or Fly's platform API on its own base URL. @default 'machines' */
  root?: 'machines' | 'platform';
  query?: QueryParams;
  body?: unknown;
  /** Schema for the success body; without one the body is drained and ignored. */
  schema?: z.ZodType<T>;
  /** Reshapes the decoded JSON before parsing (lease envelopes). */
  unwrap?: (raw: unknown) => unknown;
  /** Rate-budget scope: the machine id, app name or org the action targets. */
  rateScope: string;
  options?: CallOptions;
  /** Default deadline for this operation when the caller gives none (`wait` needs more than the client default). */
  defaultDeadlineMs?: number;
  /** Statuses that are answers rather than failures (404 on get-lease, 408 on wait). */
  passStatuses?: readonly number[];
  isWait?: boolean;
  headers?: Record<string, string>;
}

/** A finished call: the parsed body on success, or a pass-through status. */
export type FlyResult<T> =
  | { ok: true; status: number; data: T; header: (name: string) => string | undefined }
  | { ok: false; status: number; header: (name: string) => string | undefined };

type AttemptOutcome<T> = FlyResult<T> | { failure: AttemptFailure; error: FlyApiError; retryAfterMs?: number };

/** Creates the request function shared by every resource of one client. */
export function createRequester(ctx: RequestContext) {
  function buildHeaders<T>(spec: FlyRequestSpec<T>): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: ctx.authorization,
      accept: 'application/json',
      'user-agent': ctx.userAgent,
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const nonce = spec.options?.leaseNonce;
    if (nonce !== undefined && !isSafeMethod(spec.method)) headers['fly-machine-lease-nonce'] = nonce;
    Object.assign(headers, spec.headers);
    const badNonce = headers['fly-machine-lease-nonce'];
    if (badNonce !== undefined && !HEADER_SAFE.test(badNonce)) {
      throw new FlyApiError({
        code: FlyErrorCode.BadRequest,
        operation: spec.operation,
        message: `${spec.operation}: the lease nonce must be non-empty printable ASCII without spaces`,
      });
    }
    return headers;
  }

  async function attempt<T>(
    spec: FlyRequestSpec<T>,
    headers: Record<string, string>,
    deadline: Deadline,
    attemptNo: number,
  ): Promise<AttemptOutcome<T>> {
    const startedAt = ctx.clock.now();
    let status = 0;
    try {
      // undici's own timeouts default to 300 s; bound them by what is left of our deadline as a second line.
      const remaining = Math.max(1, deadline.remainingMs());
      const root = spec.root === 'platform' ? ctx.platformBaseUrl : `${ctx.baseUrl}/v1`;
      const response = await request(`${root}${spec.path}${buildQuery(spec.query)}`, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: deadline.signal,
        dispatcher: ctx.dispatcher,
        headersTimeout: remaining,
        bodyTimeout: remaining,
      });
      status = response.statusCode;
      const header = headerReader(response.headers);
      // Redacted like any upstream text: a proxy that echoes request headers could put the token here too.
      const rawRequestId = header('fly-request-id');
      const requestId = rawRequestId === undefined ? undefined : ctx.redact(rawRequestId).slice(0, MAX_REQUEST_ID_CHARS);
      if (status >= 200 && status < 300) {
        if (!spec.schema) {
          await response.body.dump();
          return { ok: true, status, data: undefined as T, header };
        }
        const { text, tooLarge } = await readBoundedText(response.body, MAX_SUCCESS_BODY_BYTES);
        if (tooLarge) invalidResponse(spec.operation, 'the body is too large', requestId, status);
        const decoded = decodeJson(text);
        if (!decoded.json) invalidResponse(spec.operation, 'the body is not JSON', requestId, status);
        const raw = spec.unwrap ? spec.unwrap(decoded.value) : decoded.value;
        return { ok: true, status, data: parseWire(spec.schema, raw, spec.operation, requestId, status), header };
      }
      if (spec.passStatuses?.includes(status)) {
        await response.body.dump();
        return { ok: false, status, header };
      }
      const { text } = await readBoundedText(response.body, MAX_ERROR_BODY_BYTES);
      const decoded = decodeJson(text);
      const retryAfterMs = parseRetryAfterMs(header('retry-after'), ctx.clock.now());
      const error = statusError({
        operation: spec.operation,
        method: spec.method,
        status,
        body: decoded.json ? decoded.value : decoded.text,
        requestId,
        retryAfterMs,
        isWait: spec.isWait,
        redact: ctx.redact,
      });
      return { failure: { kind: 'status', status }, error, retryAfterMs };
    } catch (error) {
      if (error instanceof FlyApiError) throw error;
      const failure = classifyTransportError(error);
      const mapped = transportError({
        operation: spec.operation,
        method: spec.method,
        failure,
        aborted: deadline.cause(),
        deadlineMs: deadline.budgetMs,
        cause: safeCause(error, ctx.redact),
      });
      return { failure, error: mapped };
    } finally {
      ctx.onCall?.({ operation: spec.operation, method: spec.method, status, durationMs: ctx.clock.now() - startedAt, attempt: attemptNo });
    }
  }

  async function takeRateToken<T>(spec: FlyRequestSpec<T>, deadline: Deadline): Promise<void> {
    if (!ctx.budget) return;
    const maxWaitMs = Math.min(ctx.maxQueueWaitMs, deadline.remainingMs());
    let result;
    try {
      result = await ctx.budget.acquire(spec.operation, spec.rateScope, maxWaitMs, deadline.signal, spec.options?.caller);
    } catch {
      throw notStartedError(spec.operation, deadline.cause() ?? 'deadline', deadline.budgetMs);
    }
    if (!result.ok) {
      // Shed locally as RATE_LIMITED (not UNAVAILABLE): Fly is fine, we are just over its documented budget.
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new FlyApiError({
        code: FlyErrorCode.RateLimited,
        operation: spec.operation,
        message: `${spec.operation} was not sent: the local rate budget is exhausted; retry in ${seconds} s`,
        retryAfterSeconds: seconds,
      });
    }
  }

  /**
   * The same request path for a caller's own token: its header, its redaction (on top of the client's) and a rate
   * scope of its own, so one caller's calls never spend another's budget.
   */
  function sendAs<T>(token: string, spec: FlyRequestSpec<T>): Promise<FlyResult<T>> {
    const callerRedact = createRedactor(token);
    const forCaller = createRequester({
      ...ctx,
      authorization: formatAuthorization(token),
      redact: (text) => callerRedact(ctx.redact(text)),
    });
    const scope = createHash('sha256').update(stripAuthScheme(token)).digest('hex').slice(0, 16);
    const sent = forCaller
      .send({ ...spec, rateScope: `${scope}:${spec.rateScope}`, options: { ...spec.options, authorization: undefined } })
      .catch((error: unknown) => {
        // Fly refusing this token is the caller's to fix, not the operator's: say whose token it was.
        if (!(error instanceof FlyApiError) || error.code !== FlyErrorCode.Unauthorized) throw error;
        throw new FlyApiError({ ...error, message: error.message, credential: 'caller', cause: error.cause });
      });
    if (!ctx.onCallerToken) return sent;
    const tell = ctx.onCallerToken;
    return sent.then(
      (result) => {
        tell(scope, 'accepted');
        return result;
      },
      (error: unknown) => {
        const verdict = tokenVerdictOf(spec.method, error);
        if (verdict) tell(scope, verdict);
        throw error;
      },
    );
  }

  /** Performs one logical call (with retries for safe methods) and returns its result. */
  async function send<T>(spec: FlyRequestSpec<T>): Promise<FlyResult<T>> {
    const token = spec.options?.authorization;
    if (token !== undefined) return sendAs(token, spec);
    const headers = buildHeaders(spec);
    const budgetMs = spec.options?.deadlineMs ?? spec.defaultDeadlineMs ?? ctx.deadlineMs;
    const deadline = startDeadline(ctx.clock, budgetMs, spec.options?.signal);
    const span = startCallSpan(ctx.tracing, { operation: spec.operation, method: spec.method, path: spec.path, baseUrl: ctx.baseUrl });
    try {
      for (let attemptNo = 1; ; attemptNo++) {
        const aborted = deadline.cause();
        if (aborted) throw notStartedError(spec.operation, aborted, budgetMs);
        await takeRateToken(spec, deadline);
        const outcome = await attempt(spec, span ? span.propagate(headers) : headers, deadline, attemptNo);
        span?.attempted(attemptNo, 'ok' in outcome ? outcome.status : outcome.failure.kind === 'status' ? outcome.failure.status : 0);
        if ('ok' in outcome) return outcome;
        const canRetry =
          attemptNo < ctx.retry.maxAttempts && deadline.cause() === undefined && isRetryable(spec.method, outcome.failure, spec.isWait);
        if (!canRetry) throw outcome.error;
        const delayMs = backoffDelayMs(ctx.retry, attemptNo - 1, ctx.random, outcome.retryAfterMs);
        // Sleeping past the deadline would only turn a clear upstream error into a vague timeout.
        if (delayMs >= deadline.remainingMs()) throw outcome.error;
        try {
          await ctx.clock.sleep(delayMs, deadline.signal);
        } catch {
          throw outcome.error;
        }
      }
    } catch (error) {
      span?.failed(error);
      throw error;
    } finally {
      deadline.dispose();
      span?.end();
    }
  }

  /** Like `send`, for specs without pass-through statuses: returns the parsed body directly. */
  async function call<T>(spec: FlyRequestSpec<T>): Promise<T> {
    const result = await send(spec);
    if (!result.ok) {
      throw new FlyApiError({
        code: FlyErrorCode.InvalidResponse,
        operation: spec.operation,
        message: `${spec.operation}: unexpected HTTP ${result.status}`,
        httpStatus: result.status,
      });
    }
    return result.data;
  }

  return { send, call, clock: ctx.clock };
}

/** The request functions handed to each resource. */
export type Requester = ReturnType<typeof createRequester>;
