import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';

/** ajv-formats is CommonJS with `exports.default`; the plugin function sits at either level depending on the loader. */
const addFormats = ((formatsModule as unknown as { default?: unknown }).default ?? formatsModule) as (ajv: Ajv) => Ajv;

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the published OpenAPI spec lives (read in place, never copied into the repo). `FLY_OPENAPI_SPEC` points
 * elsewhere (the test of the suite's own behaviour without a spec uses it).
 */
export const SPEC_PATH = process.env.FLY_OPENAPI_SPEC || path.resolve(here, '../../../shared/fly/machines-openapi3.json');

/** True when the shared spec is present. */
export const specAvailable = (): boolean => existsSync(SPEC_PATH);

type Json = Record<string, unknown>;

/** Deep copy in which every `$ref` points into the registered spec and every object schema rejects unknown fields. */
function prepare(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(prepare);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema as Json)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `spec${v}`;
    else if (k === 'properties' && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([name, s]) => [name, prepare(s)]));
    } else out[k] = prepare(v);
  }
  // Closing objects makes an extra or misspelled field a failure instead of silently passing.
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Result of validating one body. */
export interface CheckResult {
  ok: boolean;
  errors: string;
}

/** Validators for response bodies, keyed by operation and status, plus named component schemas. */
export interface SpecValidator {
  readonly spec: Json;
  /** `METHOD /v1/...` of every operation in the spec. */
  operations(): string[];
  /** The JSON schema for a documented response, `null` when documented without a body, `undefined` when not documented. */
  responseSchema(op: string, status: number): unknown | null | undefined;
  validateResponse(op: string, status: number, body: unknown): CheckResult;
  validateComponent(name: string, body: unknown): CheckResult;
}

/** Loads the spec and prepares ajv (+formats) over `components.schemas`. */
export function loadSpecValidator(): SpecValidator {
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const components = prepare((spec.components as Json).schemas) as Json;
  ajv.addSchema({ $id: 'spec', components: { schemas: components } });
  const cache = new Map<string, ValidateFunction>();
  const paths = spec.paths as Record<string, Record<string, Json>>;

  const compile = (key: string, schema: unknown): ValidateFunction => {
    const cached = cache.get(key);
    if (cached) return cached;
    const fn = ajv.compile(prepare(schema) as Json);
    cache.set(key, fn);
    return fn;
  };
  const run = (fn: ValidateFunction, body: unknown): CheckResult => {
    const ok = fn(body) as boolean;
    return { ok, errors: ok ? '' : ajv.errorsText(fn.errors, { separator: '; ' }) };
  };

  const validator: SpecValidator = {
    spec,
    operations: () =>
      Object.entries(paths).flatMap(([p, ops]) =>
        Object.keys(ops)
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .map((m) => `${m.toUpperCase()} ${p}`),
      ),
    responseSchema(op, status) {
      const [method, p] = op.split(' ');
      const response = paths[p]?.[method.toLowerCase()]?.responses as Record<string, Json> | undefined;
      const entry = response?.[String(status)];
      if (!entry) return undefined;
      const content = entry.content as Record<string, Json> | undefined;
      // The token endpoints answer text/plain only.
      return content?.['application/json']?.schema ?? content?.['text/plain']?.schema ?? null;
    },
    validateResponse(op, status, body) {
      const schema = validator.responseSchema(op, status);
      if (!schema) return { ok: false, errors: 'no JSON schema documented for this response' };
      return run(compile(`${op} ${status}`, schema), body);
    },
    validateComponent(name, body) {
      return run(compile(`#${name}`, { $ref: `#/components/schemas/${name}` }), body);
    },
  };
  return validator;
}
