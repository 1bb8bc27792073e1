import { describe, expect, it } from 'vitest';
import { resolveFlyConnection, type FlyListSource, type ResolvedConnection } from '#src/api/schema/fly-connection.js';
import type { Page } from '#src/flyio/types.js';

/** A fake Fly list of `n` items served in pages of at most `pageSize`, counting calls. */
function buildSource(n: number, pageSize: number) {
  const items = Array.from({ length: n }, (_, i) => `item-${i}`);
  const calls: { cursor?: string; limit: number }[] = [];
  const source: FlyListSource<string> & { calls: typeof calls; allCalls: number } = {
    calls,
    allCalls: 0,
    async all() {
      source.allCalls++;
      return items;
    },
    async page(cursor, limit): Promise<Page<string>> {
      calls.push({ cursor, limit });
      const start = cursor ? Number(cursor.slice(1)) : 0;
      const end = Math.min(items.length, start + Math.min(limit, pageSize));
      return { items: items.slice(start, end), nextCursor: end < items.length ? `c${end}` : undefined };
    },
  };
  return source;
}

describe('resolveFlyConnection', () => {
  it('should make each node once with toNode, and give the same cursors as without it', async () => {
    const plain = await resolveFlyConnection({ first: 3, after: undefined }, buildSource(7, 2));
    const made: string[] = [];
    const wrapped = await resolveFlyConnection({ first: 3 }, buildSource(7, 2), (item) => {
      made.push(item);
      return { name: item };
    });
    expect(made).toEqual(['item-0', 'item-1', 'item-2']);
    expect(wrapped.edges.map((e) => e.node)).toEqual([{ name: 'item-0' }, { name: 'item-1' }, { name: 'item-2' }]);
    expect(wrapped.edges.map((e) => e.cursor)).toEqual(plain.edges.map((e) => e.cursor));
    expect(wrapped.pageInfo).toEqual(plain.pageInfo);
    const next = await resolveFlyConnection({ first: 10, after: wrapped.pageInfo.endCursor }, buildSource(7, 2));
    expect(next.edges.map((e) => e.node)).toEqual(['item-3', 'item-4', 'item-5', 'item-6']);
  });

  it('should return the whole list from the shared loader when no paging argument is given', async () => {
    const source = buildSource(5, 2);
    const result = await resolveFlyConnection({}, source);
    expect(result.edges.map((e) => e.node)).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
    expect(result.pageInfo.hasNextPage).toBe(false);
    expect(source.allCalls).toBe(1);
    expect(source.calls).toEqual([]);
  });

  it('should read one Fly page of `first` items and report more when Fly has a next cursor', async () => {
    const source = buildSource(10, 100);
    const result = await resolveFlyConnection({ first: 3 }, source);
    expect(result.edges.map((e) => e.node)).toEqual(['item-0', 'item-1', 'item-2']);
    expect(result.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(source.calls).toEqual([{ cursor: undefined, limit: 3 }]);
  });

  it('should continue across Fly pages when Fly returns short pages', async () => {
    const source = buildSource(10, 2);
    const result = await resolveFlyConnection({ first: 5 }, source);
    expect(result.edges.map((e) => e.node)).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
    expect(source.calls.map((c) => c.cursor)).toEqual([undefined, 'c2', 'c4']);
  });

  it('should visit every item exactly once when following endCursor to the end', async () => {
    const source = buildSource(11, 4);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: ResolvedConnection<string> = await resolveFlyConnection({ first: 3, after }, source);
      seen.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(Array.from({ length: 11 }, (_, i) => `item-${i}`));
  });

  it('should resume after any edge when the cursor comes from either form, including the whole list', async () => {
    const source = buildSource(6, 100);
    const whole = await resolveFlyConnection({}, source);
    const resumed = await resolveFlyConnection({ first: 2, after: whole.edges[2].cursor }, source);
    expect(resumed.edges.map((e) => e.node)).toEqual(['item-3', 'item-4']);
    expect(resumed.pageInfo.hasPreviousPage).toBe(true);
  });

  it('should make no call and return nothing when first is 0', async () => {
    const source = buildSource(3, 100);
    const result = await resolveFlyConnection({ first: 0 }, source);
    expect(result.edges).toEqual([]);
    expect(source.calls).toEqual([]);
  });

  it('should refuse the argument by name when given an out-of-range first or a foreign cursor', async () => {
    const source = buildSource(3, 100);
    await expect(resolveFlyConnection({ first: 5000 }, source)).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ field: 'first' }],
    });
    await expect(resolveFlyConnection({ first: 1, after: 'fly:bm90LWpzb24' }, source)).rejects.toMatchObject({
      issues: [{ field: 'after' }],
    });
    expect(source.calls).toEqual([]);
  });
});
