/**
 * A signal that aborts when any of `signals` does, with that signal's reason. Like `AbortSignal.any`, but it also
 * takes signal-like objects (yoga's request signal is a Proxy, which Node 24's `AbortSignal.any` refuses), and it
 * lets go of its listeners once it has aborted.
 */
export function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const combined = new AbortController();
  const already = signals.find((signal) => signal.aborted);
  if (already) {
    combined.abort(already.reason);
    return combined.signal;
  }
  const listeners: Array<() => void> = [];
  const release = () => signals.forEach((signal, i) => signal.removeEventListener('abort', listeners[i]));
  for (const signal of signals) {
    const onAbort = () => {
      release();
      combined.abort(signal.reason);
    };
    listeners.push(onAbort);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  return combined.signal;
}
