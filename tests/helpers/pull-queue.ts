/**
 * Turns push callbacks (a subscription's sink) into a pull queue for tests: `next()` waits for the next item, rejects
 * once a failure was reported, and gives up after `waitMs` (a hang guard, not a timing assertion).
 */
export function createPullQueue<T>(what = 'item') {
  const items: T[] = [];
  let failure: unknown;
  let onFailed!: (error: unknown) => void;
  const failed = new Promise<unknown>((resolve) => (onFailed = resolve));
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(item: T) {
      items.push(item);
      poke();
    },
    /** Records the first failure; later `next()` calls reject with it once the items before it are taken. */
    fail(error: unknown) {
      failure ??= error;
      onFailed(error);
      poke();
    },
    failed,
    buffered: () => items.length,
    async next(waitMs = 10_000): Promise<T> {
      const deadline = Date.now() + waitMs;
      while (items.length === 0) {
        if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} within ${waitMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return items.shift()!;
    },
  };
}
