import type { CheckResult, SpecValidator } from './spec-validator.js';

/**
 * Places where the emulator deliberately answers differently from the spec's response schema, because the real
 * service (and its clients) do (MACHINES-API.md §3). Anything not listed here must match the spec exactly.
 */
export interface WireDifference {
  /** `METHOD /v1/path-template`, or `*` for any operation. */
  op: string;
  /** Status codes the difference covers. */
  statuses: number[];
  reason: string;
  check(body: unknown, spec: SpecValidator): CheckResult;
}

const M = '/v1/apps/{app_name}/machines/{machine_id}';
const pass: CheckResult = { ok: true, errors: '' };
const fail = (errors: string): CheckResult => ({ ok: false, errors });
const isObject = (b: unknown): b is Record<string, unknown> => !!b && typeof b === 'object' && !Array.isArray(b);

const okBody = (body: unknown): CheckResult =>
  isObject(body) && body.ok === true && Object.keys(body).length === 1 ? pass : fail(`expected {"ok":true}, got ${JSON.stringify(body)}`);

/** Every kept wire difference with its reason. */
export const WIRE_DIFFERENCES: WireDifference[] = [
  {
    op: `GET ${M}/lease`,
    statuses: [200],
    reason:
      'The docs examples and fly-go/fly-admin read lease bodies wrapped as {status:"success", data: Lease}; the spec shows a bare Lease.',
    check: (body, spec) =>
      isObject(body) && body.status === 'success' && Object.keys(body).length === 2
        ? spec.validateComponent('Lease', body.data)
        : fail('expected {status:"success", data}'),
  },
  {
    op: `POST ${M}/lease`,
    statuses: [201],
    reason: 'Acquire/refresh answers the same wrapped {status:"success", data: Lease} envelope as the real API.',
    check: (body, spec) =>
      isObject(body) && body.status === 'success' && Object.keys(body).length === 2
        ? spec.validateComponent('Lease', body.data)
        : fail('expected {status:"success", data}'),
  },
  {
    op: `POST ${M}/lease`,
    statuses: [409],
    reason:
      'A lease held by someone else answers {status:"error", message, code:"invalid"} (docs partial), not ErrorResponse; the spec lists no 409.',
    check: (body) =>
      isObject(body) && body.status === 'error' && typeof body.message === 'string' && body.code === 'invalid'
        ? pass
        : fail('expected lease error envelope'),
  },
  {
    op: `DELETE ${M}/lease`,
    statuses: [200],
    reason: 'Release answers {status:"success", data:{ok:true}} per the docs; the spec documents no body.',
    check: (body) =>
      isObject(body) && body.status === 'success' && okBody(body.data).ok ? pass : fail('expected {status:"success", data:{ok:true}}'),
  },
  {
    op: `POST ${M}/start`,
    statuses: [200],
    reason: 'Docs example body {previous_state, migrated, new_host} (fly-go reads previous_state); the spec documents no body.',
    check: (body) =>
      isObject(body) && typeof body.previous_state === 'string' && typeof body.migrated === 'boolean' && typeof body.new_host === 'string'
        ? pass
        : fail('expected start body'),
  },
  ...['stop', 'restart', 'suspend', 'signal', 'cordon', 'uncordon'].map((action) => ({
    op: `POST ${M}/${action}`,
    statuses: [200],
    reason: 'Docs examples answer {"ok":true}; the spec documents no body. Clients accept JSON or empty.',
    check: okBody,
  })),
  {
    op: `DELETE ${M}`,
    statuses: [200],
    reason: 'Docs example answers {"ok":true} on destroy; the spec documents no body.',
    check: okBody,
  },
  {
    op: '*',
    statuses: [401, 404, 405, 408, 409, 412, 422, 429, 500, 503],
    reason:
      'Most operations list only 200/400, but the real service answers 401, 404, 408 (wait timeout), 409 (lease/version conflict), 412, 422, 429 and 5xx with the ErrorResponse body (MACHINES-API.md §3, §11).',
    check: (body, spec) => spec.validateComponent('ErrorResponse', body),
  },
];

/**
 * Checks one response: a listed specific difference first, then the spec's documented response, then the generic
 * error rule for undocumented error statuses. Differences used are added to `used`, so unused entries can be flagged.
 */
export function checkResponse(spec: SpecValidator, op: string, status: number, body: unknown, used: Set<WireDifference>): CheckResult {
  const specific = WIRE_DIFFERENCES.find((d) => d.op === op && d.statuses.includes(status));
  if (specific) {
    used.add(specific);
    return specific.check(body, spec);
  }
  const schema = spec.responseSchema(op, status);
  if (schema) return spec.validateResponse(op, status, body);
  if (schema === null) return body === undefined ? pass : fail(`spec documents no body, got ${JSON.stringify(body)}`);
  const generic = WIRE_DIFFERENCES.find((d) => d.op === '*' && d.statuses.includes(status));
  if (generic) {
    used.add(generic);
    return generic.check(body, spec);
  }
  return fail(`status ${status} is not documented for ${op} and no wire difference covers it`);
}
