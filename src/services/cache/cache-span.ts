/**
 * One span per cached read: which kind of entity and how it was answered (`hit`, `miss`, `stale`, `bypass`, or
 * `coalesced` when it joined a fetch already in flight). The fetch a miss makes runs inside it, so the Fly call's
 * span is its child. Keys, ids and scopes stay out: they hold app names and the tenant's fingerprint.
 */
import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { isFlyApiError } from '../../flyio/errors.js';

/** The span of one read while it runs. */
export interface CacheSpan {
  /** Runs `fetch` with this span as the parent of whatever it traces. */
  within<T>(fetch: () => Promise<T>): Promise<T>;
  /** Waits for the read's answer, records its outcome (or failure) and ends the span. */
  settle<T extends { info: { outcome: string } }>(pending: Promise<T>): Promise<T>;
}

/** Starts the span of one read, or returns undefined when tracing is off. */
export function startCacheSpan(tracer: Tracer | undefined, entity: string, joined: boolean): CacheSpan | undefined {
  if (!tracer) return undefined;
  const span: Span = tracer.startSpan(`cache ${entity}`, { attributes: { 'flygate.cache.entity': entity } });
  const spanContext = trace.setSpan(context.active(), span);
  return {
    within: (fetch) => context.with(spanContext, fetch),
    async settle(pending) {
      try {
        const result = await pending;
        span.setAttribute('flygate.cache.outcome', joined ? 'coalesced' : result.info.outcome);
        return result;
      } catch (error) {
        const code = isFlyApiError(error) ? error.code : 'INTERNAL';
        span.setAttributes({ 'flygate.cache.outcome': joined ? 'coalesced' : 'error', 'error.type': code });
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
        throw error;
      } finally {
        span.end();
      }
    },
  };
}
