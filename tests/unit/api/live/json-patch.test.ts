import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, diffJson } from '#src/api/live/json-patch.js';

describe('diffJson and applyJsonPatch', () => {
  it('should turn any JSON value into any other when the diff is applied to the first', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (before, after) => {
        // Compared as JSON values: -0 is 0 on the wire, and member order carries no meaning (an added member comes last).
        const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
        expect(asJson(applyJsonPatch(before, diffJson(before, after)))).toEqual(asJson(after));
      }),
      { numRuns: 2_000 },
    );
  });

  it('should change one field of a dashboard with one replace when only that field changed', () => {
    const before = {
      app: {
        machines: {
          nodes: [
            { id: 'a', state: 'STARTED' },
            { id: 'b', state: 'STARTED' },
          ],
        },
      },
    };
    const after = {
      app: {
        machines: {
          nodes: [
            { id: 'a', state: 'STARTED' },
            { id: 'b', state: 'STOPPED' },
          ],
        },
      },
    };
    expect(diffJson(before, after)).toEqual([{ op: 'replace', path: '/app/machines/nodes/1/state', value: 'STOPPED' }]);
    expect(diffJson(before, before)).toEqual([]);
  });

  it('should escape ~ and / in member names and leave the input untouched when applying', () => {
    const before = { 'a/b': 1, 'c~d': [1, 2, 3] };
    const after = { 'a/b': 2, 'c~d': [1] };
    const patch = diffJson(before, after);
    expect(patch).toEqual([
      { op: 'replace', path: '/a~1b', value: 2 },
      { op: 'remove', path: '/c~0d/2' },
      { op: 'remove', path: '/c~0d/1' },
    ]);
    expect(applyJsonPatch(before, patch)).toEqual(after);
    expect(before).toEqual({ 'a/b': 1, 'c~d': [1, 2, 3] });
  });

  it('should refuse a patch whose path does not exist in the document', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b/c', value: 1 }])).toThrow(/no such path/);
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'remove', path: '/a/0' }])).toThrow(/no such index/);
  });
});
