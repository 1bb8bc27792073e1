/** The tag index a store keeps beside its entries, so `invalidate` finds keys without scanning. */
export interface TagIndex {
  add(key: string, tags: readonly string[]): void;
  remove(key: string): void;
  /** Every key listed under any of `tags`; the tags are forgotten. */
  take(tags: readonly string[]): string[];
}

/** Creates a {@link TagIndex}. */
export function createTagIndex(): TagIndex {
  const keysByTag = new Map<string, Set<string>>();
  const tagsByKey = new Map<string, readonly string[]>();
  return {
    add(key, tags) {
      tagsByKey.set(key, tags);
      for (const tag of tags) {
        let keys = keysByTag.get(tag);
        if (!keys) keysByTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
    },
    remove(key) {
      for (const tag of tagsByKey.get(key) ?? []) {
        const keys = keysByTag.get(tag);
        keys?.delete(key);
        if (keys?.size === 0) keysByTag.delete(tag);
      }
      tagsByKey.delete(key);
    },
    take(tags) {
      const found = new Set<string>();
      for (const tag of tags) for (const key of keysByTag.get(tag) ?? []) found.add(key);
      return [...found];
    },
  };
}
