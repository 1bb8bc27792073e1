import { describe, expect, it } from 'vitest';
import { createManualClock } from '#src/lib/clock.js';
import { createResponseCache, type StoredResponse } from '#src/services/cache/response-cache.js';

const entry = (clockNow: number, tags: string[], body = '{"data":{}}', ttlMs = 1_000): StoredResponse => ({
  body: Buffer.from(body),
  contentType: 'application/json',
  tags,
  expiresAt: clockNow + ttlMs,
  oldestFetchedAt: clockNow,
  reads: tags.length,
});

describe('the whole-response cache', () => {
  it('should answer a stored response until one of its tags is invalidated, and only then drop it', () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 10_000 });
    expect(cache.set('a', entry(clock.now(), ['{web}:machines']), cache.begin())).toBe(true);
    expect(cache.set('b', entry(clock.now(), ['{api}:machines']), cache.begin())).toBe(true);
    cache.invalidate(['{other}:machines']);
    expect(cache.get('a')?.body.toString()).toBe('{"data":{}}');
    cache.invalidate(['{web}:machines']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBeDefined();
  });

  it('should never store a fill that began before an invalidation of one of its tags', () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 10_000 });
    const started = cache.begin();
    cache.invalidate(['{web}:machine:m1']);
    expect(cache.set('a', entry(clock.now(), ['{web}:machines', '{web}:machine:m1']), started)).toBe(false);
    expect(cache.get('a')).toBeUndefined();
    // A fill that began after it is fine, and so is one whose tags were not touched.
    expect(cache.set('a', entry(clock.now(), ['{web}:machine:m1']), cache.begin())).toBe(true);
    const other = cache.begin();
    cache.invalidate(['{api}:app']);
    expect(cache.set('c', entry(clock.now(), ['{web}:app']), other)).toBe(true);
  });

  it('should drop every answer on a reset, and refuse a fill that began before it whatever its tags', () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 10_000 });
    cache.set('a', entry(clock.now(), ['{web}:machines']), cache.begin());
    const before = cache.begin();
    cache.reset();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.set('b', entry(clock.now(), ['{api}:machines']), before)).toBe(false);
    expect(cache.set('b', entry(clock.now(), ['{api}:machines']), cache.begin())).toBe(true);
  });

  it('should stop answering when the first read it was built from would have expired', async () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 10_000 });
    cache.set('a', entry(clock.now(), ['{web}:machines'], '{"data":{}}', 500), cache.begin());
    await clock.advance(499);
    expect(cache.get('a')).toBeDefined();
    await clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('should keep within its byte budget, dropping the least recently used, and refuse one oversized body', () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 1_000, maxEntryBytes: 400 });
    const body = `{"data":"${'x'.repeat(290)}"}`;
    for (const key of ['k1', 'k2', 'k3']) cache.set(key, entry(clock.now(), ['{web}:app'], body), cache.begin());
    cache.get('k1');
    cache.set('k4', entry(clock.now(), ['{web}:app'], body), cache.begin());
    expect(cache.get('k2')).toBeUndefined();
    expect(cache.get('k1')).toBeDefined();
    expect(cache.set('big', entry(clock.now(), ['{web}:app'], `"${'y'.repeat(500)}"`), cache.begin())).toBe(false);
    // An evicted key leaves the tag index too: invalidating still drops exactly the live ones.
    cache.invalidate(['{web}:app']);
    expect(cache.size).toBe(0);
  });

  it('should refuse a fill that took longer than a minute (its invalidation marks may be forgotten)', async () => {
    const clock = createManualClock();
    const cache = createResponseCache({ clock, maxBytes: 10_000 });
    const started = cache.begin();
    await clock.advance(60_001);
    expect(cache.set('a', entry(clock.now(), ['{web}:app']), started)).toBe(false);
  });
});
