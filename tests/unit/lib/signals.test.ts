import { describe, expect, it } from 'vitest';
import { anySignal } from '#src/lib/signals.js';

describe('anySignal', () => {
  it('should abort with the reason of the first signal that aborts', () => {
    const a = new AbortController();
    const b = new AbortController();
    const combined = anySignal([a.signal, b.signal]);
    expect(combined.aborted).toBe(false);
    b.abort('second');
    a.abort('first');
    expect(combined.aborted).toBe(true);
    expect(combined.reason).toBe('second');
  });

  it('should be aborted at once when a signal already is', () => {
    const a = new AbortController();
    a.abort('done');
    expect(anySignal([new AbortController().signal, a.signal]).reason).toBe('done');
  });

  it('should take a Proxy around a signal, as yoga hands out', () => {
    const a = new AbortController();
    const proxied = new Proxy(a.signal, {
      get: (target, key) => {
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const combined = anySignal([proxied]);
    a.abort('through the proxy');
    expect(combined.reason).toBe('through the proxy');
  });
});
