/**
 * Validation of decoded Fly bodies without copying them. zod builds a new object for every object it parses; for a
 * list of machines with full configs that is most of the garbage a cold read makes. The wire schemas use a small
 * part of zod (loose objects, optional, nullable, default, strings, numbers, booleans, arrays, records, unions of
 * those, unknown), so each schema is compiled once into a checker that walks the decoded JSON, checks what the
 * schema says and fills in defaults where it stands. Anything the compiler does not know makes the schema fall back
 * to zod, and so does any value the checker refuses (zod then names the failing path, or accepts what the checker
 * was too strict about).
 */
import type { z } from 'zod';

/** Checks `value` in place; returns the value to use (the same one, or a default), or FAIL. */
type Check = (value: unknown) => unknown;

const FAIL = Symbol('invalid');

interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
  shape?: Record<string, { _zod: { def: Def } }>;
  catchall?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  keyType?: { _zod: { def: Def } };
  valueType?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  checks?: { _zod: { def: { check: string; format?: string } } }[];
  defaultValue?: unknown;
}

class Unsupported extends Error {}

/**
 * An object to check in place. One with an own `__proto__` key (JSON.parse makes one from `{"__proto__": …}`) is
 * left to zod, which drops that key: kept here, the answer would differ from zod's, and a later copy of the object
 * with Object.assign would set its prototype.
 */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Object.hasOwn(value, '__proto__');

function compile(def: Def): Check {
  const checks = def.checks ?? [];
  switch (def.type) {
    case 'string':
      if (checks.length > 0) throw new Unsupported();
      return (v) => (typeof v === 'string' ? v : FAIL);
    case 'boolean':
      if (checks.length > 0) throw new Unsupported();
      return (v) => (typeof v === 'boolean' ? v : FAIL);
    case 'number': {
      const formats = checks.map((c) => c._zod.def);
      if (formats.some((c) => c.check !== 'number_format' || c.format !== 'safeint')) throw new Unsupported();
      return formats.length > 0
        ? (v) => (Number.isSafeInteger(v) ? v : FAIL)
        : (v) => (typeof v === 'number' && Number.isFinite(v) ? v : FAIL);
    }
    case 'unknown':
      return (v) => v;
    case 'optional': {
      const innerDef = def.innerType!._zod.def;
      // Most wire fields are optional scalars: one function per field instead of two keeps the walk of a large
      // body (200 machines, some 60 fields each) short.
      const leaf = optionalLeaf(innerDef);
      if (leaf) return leaf;
      const inner = compile(innerDef);
      return (v) => (v === undefined ? v : inner(v));
    }
    case 'nullable': {
      const inner = compile(def.innerType!._zod.def);
      return (v) => (v === null ? v : inner(v));
    }
    case 'default': {
      const inner = compile(def.innerType!._zod.def);
      return (v) => (v === undefined ? structuredClone(def.defaultValue) : inner(v));
    }
    case 'array': {
      // An array of anything only needs to be an array: walking its elements would check nothing.
      if (def.element!._zod.def.type === 'unknown') return (v) => (Array.isArray(v) ? v : FAIL);
      const element = compile(def.element!._zod.def);
      return (v) => {
        if (!Array.isArray(v)) return FAIL;
        for (let i = 0; i < v.length; i++) {
          const checked = element(v[i]);
          if (checked === FAIL) return FAIL;
          if (checked !== v[i]) v[i] = checked;
        }
        return v;
      };
    }
    case 'record': {
      if (def.keyType!._zod.def.type !== 'string' || (def.keyType!._zod.def.checks ?? []).length > 0) throw new Unsupported();
      // A record of anything (a free-form JSON object: a service, a check, an event's request) only needs to be an
      // object: walking its keys would check nothing.
      if (def.valueType!._zod.def.type === 'unknown') return (v) => (isPlainObject(v) ? v : FAIL);
      const value = compile(def.valueType!._zod.def);
      return (v) => {
        if (!isPlainObject(v)) return FAIL;
        for (const key in v) {
          const checked = value(v[key]);
          if (checked === FAIL) return FAIL;
          if (checked !== v[key]) v[key] = checked;
        }
        return v;
      };
    }
    case 'union': {
      const options = def.options!.map((option) => {
        // Only alternatives that cannot change the value: trying one must leave nothing behind for the next.
        if (!['string', 'number', 'boolean', 'unknown'].includes(option._zod.def.type)) throw new Unsupported();
        return compile(option._zod.def);
      });
      return (v) => {
        for (const option of options) if (option(v) !== FAIL) return v;
        return FAIL;
      };
    }
    case 'object': {
      // Only loose objects: a stripping one would have to delete keys, a strict one refuse them.
      if (def.catchall?._zod.def.type !== 'unknown') throw new Unsupported();
      const keys = Object.keys(def.shape!);
      const checks = keys.map((key) => compile(def.shape![key]!._zod.def));
      // Plain indexed loops: this runs for every object of every body, and iterating entries costs an iterator and a
      // pair per field.
      return (v) => {
        if (!isPlainObject(v)) return FAIL;
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          const current = v[key];
          const checked = checks[i]!(current);
          if (checked === FAIL) return FAIL;
          if (checked !== current) v[key] = checked;
        }
        return v;
      };
    }
    default:
      throw new Unsupported();
  }
}

/** `optional(string | boolean | number)` fused into one check, or undefined for anything else. */
function optionalLeaf(def: Def): Check | undefined {
  const checks = def.checks ?? [];
  if (def.type === 'string' && checks.length === 0) return (v) => (v === undefined || typeof v === 'string' ? v : FAIL);
  if (def.type === 'boolean' && checks.length === 0) return (v) => (v === undefined || typeof v === 'boolean' ? v : FAIL);
  if (def.type === 'number' && checks.length === 0) {
    return (v) => (v === undefined || (typeof v === 'number' && Number.isFinite(v)) ? v : FAIL);
  }
  if (def.type === 'number' && checks.every((c) => c._zod.def.check === 'number_format' && c._zod.def.format === 'safeint')) {
    return (v) => (v === undefined || Number.isSafeInteger(v) ? v : FAIL);
  }
  return undefined;
}

const compiled = new WeakMap<object, Check | null>();

function checkerOf(schema: z.ZodType): Check | null {
  let check = compiled.get(schema);
  if (check === undefined) {
    try {
      check = compile((schema as unknown as { _zod: { def: Def } })._zod.def);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      check = null;
    }
    compiled.set(schema, check);
  }
  return check;
}

/**
 * Checks a freshly decoded body against `schema` where it lies, without building a copy: `{ ok: true, data }` with
 * the body itself (defaults filled in) when valid; `undefined` when zod must decide (the schema uses something the
 * checker does not know, or the value was refused). The body is changed only where a default applies, so it must be
 * a value nobody else holds (a `JSON.parse` result).
 */
export function checkInPlace<T>(schema: z.ZodType<T>, value: unknown): { ok: true; data: T } | undefined {
  const check = checkerOf(schema);
  if (!check) return undefined;
  const checked = check(value);
  return checked === FAIL ? undefined : { ok: true, data: checked as T };
}

/** Whether `schema` is checked in place (false: zod parses it every time). */
export function canCheckInPlace(schema: z.ZodType): boolean {
  return checkerOf(schema) !== null;
}
