/**
 * The small part of JSON Patch (RFC 6902) live queries need: `add`, `remove` and `replace`, produced by diffing two
 * JSON results and applied by clients to the result they hold. Written here rather than taken from a library because
 * GraphQL results are plain JSON trees (no dates, no cycles, no `undefined`), so the whole job fits in a page and the
 * wire format stays exactly the standard one.
 */

/** One JSON Patch operation of the kinds {@link diffJson} produces. */
export type JsonPatchOperation =
  { op: 'add'; path: string; value: unknown } | { op: 'replace'; path: string; value: unknown } | { op: 'remove'; path: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON Pointer segment: `~` and `/` escaped as RFC 6901 says. */
const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * The operations that turn `before` into `after`. Objects are compared key by key and arrays index by index (a
 * longer array gains `add`s at its end, a shorter one loses its tail last index first), so a changed field costs one
 * `replace` however deep it is. Applied in order by {@link applyJsonPatch} or any RFC 6902 implementation.
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonPatchOperation[] {
  if (before === after) return [];
  if (Array.isArray(before) && Array.isArray(after)) {
    const ops: JsonPatchOperation[] = [];
    const common = Math.min(before.length, after.length);
    for (let i = 0; i < common; i += 1) ops.push(...diffJson(before[i], after[i], `${path}/${i}`));
    for (let i = common; i < after.length; i += 1) ops.push({ op: 'add', path: `${path}/${i}`, value: after[i] });
    for (let i = before.length - 1; i >= common; i -= 1) ops.push({ op: 'remove', path: `${path}/${i}` });
    return ops;
  }
  if (isObject(before) && isObject(after)) {
    const ops: JsonPatchOperation[] = [];
    for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) ops.push({ op: 'remove', path: `${path}/${escape(key)}` });
    for (const [key, value] of Object.entries(after)) {
      const at = `${path}/${escape(key)}`;
      if (Object.hasOwn(before, key)) ops.push(...diffJson(before[key], value, at));
      else ops.push({ op: 'add', path: at, value });
    }
    return ops;
  }
  return [{ op: 'replace', path, value: after }];
}

/**
 * Applies `patch` to a copy of `document` and returns the copy (the input is left as it was). Throws on a path that
 * does not exist, as RFC 6902 requires, so a client that lost track notices instead of showing a wrong answer.
 */
export function applyJsonPatch<T>(document: T, patch: readonly JsonPatchOperation[]): T {
  let root: unknown = structuredClone(document);
  for (const operation of patch) {
    if (operation.path === '') {
      if (operation.op === 'remove') throw new Error('cannot remove the whole document');
      root = structuredClone(operation.value);
      continue;
    }
    const segments = operation.path.slice(1).split('/').map(unescape);
    const last = segments.pop()!;
    let parent: unknown = root;
    for (const segment of segments) {
      parent = Array.isArray(parent)
        ? parent[Number(segment)]
        : isObject(parent) && Object.hasOwn(parent, segment)
          ? parent[segment]
          : undefined;
      if (parent === undefined) throw new Error(`no such path: ${operation.path}`);
    }
    const value = operation.op === 'remove' ? undefined : structuredClone(operation.value);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length - (operation.op === 'add' ? 0 : 1)) {
        throw new Error(`no such index: ${operation.path}`);
      }
      if (operation.op === 'add') parent.splice(index, 0, value);
      else if (operation.op === 'remove') parent.splice(index, 1);
      else parent[index] = value;
    } else if (isObject(parent)) {
      if (operation.op !== 'add' && !Object.hasOwn(parent, last)) throw new Error(`no such member: ${operation.path}`);
      if (operation.op === 'remove') delete parent[last];
      // Defined, not assigned: a member named `__proto__` is data here, never the object's prototype.
      else Object.defineProperty(parent, last, { value, writable: true, enumerable: true, configurable: true });
    } else {
      throw new Error(`no such path: ${operation.path}`);
    }
  }
  return root as T;
}
