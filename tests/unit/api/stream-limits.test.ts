import { describe, expect, it } from 'vitest';
import { createStreamLimits, OVERLOADED, refusalError, STREAM_LIMIT, type StreamLimitsOptions } from '#src/api/stream-limits.js';

const options = (overrides: Partial<StreamLimitsOptions> = {}): StreamLimitsOptions => ({
  sseMaxPerAddress: 2,
  maxPerProcess: 4,
  liveMaxPerAddress: 2,
  liveMaxPerProcess: 3,
  shedHeapRatio: 0.5,
  heapUsed: () => 10,
  heapLimit: 100,
  ...overrides,
});

describe('createStreamLimits', () => {
  it('should refuse an SSE stream over the per-address cap with 429 STREAM_LIMIT and admit another address', () => {
    const limits = createStreamLimits(options());
    expect(limits.openSse('a').ok).toBe(true);
    expect(limits.openSse('a').ok).toBe(true);
    const third = limits.openSse('a');
    expect(third).toMatchObject({ ok: false, refusal: { code: STREAM_LIMIT, status: 429, limit: 2 } });
    expect(limits.openSse('b').ok).toBe(true);
    expect(limits.counts().streams).toBe(3);
  });

  it('should count SSE streams and graphql-ws operations against one per-process cap when both are open', () => {
    const limits = createStreamLimits(options());
    limits.openSse('a');
    limits.openSse('b');
    limits.openWsOperation();
    const fourth = limits.openWsOperation();
    expect(fourth.ok).toBe(true);
    expect(limits.openWsOperation()).toMatchObject({ ok: false, refusal: { code: STREAM_LIMIT, limit: 4 } });
    expect(limits.openSse('c')).toMatchObject({ ok: false, refusal: { code: STREAM_LIMIT, limit: 4 } });
    if (fourth.ok) fourth.release();
    expect(limits.openSse('c').ok).toBe(true);
  });

  it('should give a slot back once when it is released twice', () => {
    const limits = createStreamLimits(options());
    const first = limits.openSse('a');
    const second = limits.openSse('a');
    if (!first.ok || !second.ok) throw new Error('expected both admitted');
    first.release();
    first.release();
    expect(limits.counts().streams).toBe(1);
    expect(limits.openSse('a').ok).toBe(true);
    expect(limits.openSse('a').ok).toBe(false);
  });

  it('should cap live operations per address and per process, and not per address in process', () => {
    const limits = createStreamLimits(options());
    expect(limits.openLive('a').ok).toBe(true);
    expect(limits.openLive('a').ok).toBe(true);
    expect(limits.openLive('a')).toMatchObject({ ok: false, refusal: { code: STREAM_LIMIT, limit: 2 } });
    expect(limits.openLive(undefined).ok).toBe(true);
    expect(limits.openLive('b')).toMatchObject({ ok: false, refusal: { code: STREAM_LIMIT, limit: 3 } });
    expect(limits.counts().live).toBe(3);
  });

  it('should refuse everything new with 503 OVERLOADED when the heap is above the ratio and admit again below it', () => {
    let used = 60;
    const limits = createStreamLimits(options({ heapUsed: () => used }));
    for (const admission of [limits.openSse('a'), limits.openWsOperation(), limits.openLive('a')]) {
      expect(admission).toMatchObject({ ok: false, refusal: { code: OVERLOADED, status: 503 } });
    }
    expect(limits.counts()).toEqual({ streams: 0, live: 0 });
    used = 40;
    expect(limits.openSse('a').ok).toBe(true);
  });

  it('should never shed when the ratio is 1', () => {
    const limits = createStreamLimits(options({ shedHeapRatio: 1, heapUsed: () => 99 }));
    expect(limits.openLive('a').ok).toBe(true);
  });
});

describe('createStreamLimits onRefused', () => {
  it('should be told the kind and code of every refusal and nothing of what is admitted', () => {
    const refused: string[] = [];
    const limits = createStreamLimits(
      options({ sseMaxPerAddress: 1, liveMaxPerProcess: 1, onRefused: (kind, code) => refused.push(`${kind} ${code}`) }),
    );
    limits.openSse('a');
    limits.openSse('a');
    limits.openLive('a');
    limits.openLive('b');
    expect(refused).toEqual(['sse STREAM_LIMIT', 'live STREAM_LIMIT']);
  });
});

describe('refusalError', () => {
  const refusal = { code: STREAM_LIMIT, status: 429, limit: 2, retryAfterSeconds: 5, message: 'too many' } as const;

  it('should carry the status and Retry-After for HTTP when asked to', () => {
    expect(refusalError(refusal, { http: true }).extensions).toEqual({
      code: STREAM_LIMIT,
      limit: 2,
      retryAfterSeconds: 5,
      http: { status: 429, headers: { 'Retry-After': '5' } },
    });
  });

  it('should leave out the HTTP part when the error goes over graphql-ws', () => {
    expect(refusalError(refusal, { http: false }).extensions).toEqual({ code: STREAM_LIMIT, limit: 2, retryAfterSeconds: 5 });
  });
});
