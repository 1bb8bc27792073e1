import { FlyApiError, FlyErrorCode } from '#src/flyio/errors.js';
import type { CallOptions, FlyClient } from '#src/flyio/types.js';
import type { FlyMachine } from '#src/flyio/wire/machine.js';

/** One call the code under test made, as `resource.method` with its arguments. */
export interface FlyCall {
  op: string;
  input: any;
  options: CallOptions | undefined;
}

/** How the fake answers one operation; may throw, return a value, or return a promise the test settles. */
export type FlyAnswer = (input: any, options?: CallOptions) => unknown;

/** A recording, in-memory stand-in for the whole {@link FlyClient} interface. */
export interface RecordingFly {
  fly: FlyClient;
  /** Every call, in the order it was made. */
  calls: FlyCall[];
  /** The operation names of {@link RecordingFly.calls}. */
  ops(): string[];
  /** The calls of one operation. */
  callsTo(op: string): FlyCall[];
  /** Replaces the answer of one operation. */
  answer(op: string, fn: FlyAnswer): void;
  /** The fake's machines, keyed `app/id`; `machines.*` defaults read and write them. */
  machines: Map<string, FlyMachine>;
  /** Adds a machine to {@link RecordingFly.machines} and returns it. */
  put(app: string, machine: FlyMachine): FlyMachine;
}

function notFound(operation: string, what: string): FlyApiError {
  return new FlyApiError({ code: FlyErrorCode.NotFound, operation, httpStatus: 404, message: `${what} not found` });
}

/**
 * Creates the fake. Machine reads, creates, updates (with Fly's `current_version` check), waits and lease grants
 * have working defaults over an in-memory map; actions answer `undefined`; any other operation fails loudly
 * unless the test gives it an answer, so a call nobody expected cannot pass unnoticed.
 */
export function createRecordingFly(answers: Record<string, FlyAnswer> = {}): RecordingFly {
  const calls: FlyCall[] = [];
  const machines = new Map<string, FlyMachine>();
  let created = 0;
  const key = (input: { app: string; machineId: string }) => `${input.app}/${input.machineId}`;
  const existing = (op: string, input: { app: string; machineId: string }): FlyMachine => {
    const m = machines.get(key(input));
    if (!m) throw notFound(op, `machine ${input.machineId}`);
    return m;
  };

  const defaults: Record<string, FlyAnswer> = {
    'machines.get': (input) => structuredClone(existing('machines.get', input)),
    'machines.create': (input) => {
      created += 1;
      const m: FlyMachine = {
        id: `m${created}`,
        name: input.name,
        region: input.region ?? 'iad',
        state: input.skipLaunch ? 'created' : 'starting',
        version: 'v1',
        config: input.config,
      };
      machines.set(`${input.app}/${m.id}`, m);
      return structuredClone(m);
    },
    'machines.update': (input) => {
      const m = existing('machines.update', input);
      if (input.currentVersion !== undefined && input.currentVersion !== m.version) {
        throw new FlyApiError({
          code: FlyErrorCode.VersionConflict,
          operation: 'machines.update',
          httpStatus: 409,
          message: 'version mismatch',
        });
      }
      const next = { ...m, config: input.config, version: `${m.version}+`, state: 'updating' };
      machines.set(key(input), next);
      return structuredClone(next);
    },
    'machines.wait': () => ({ reached: true, ok: true }),
    'machines.acquireLease': () => ({ nonce: 'nonce-granted', expires_at: 1_900_000_000 }),
    'machines.start': () => undefined,
    'machines.stop': () => undefined,
    'machines.restart': () => undefined,
    'machines.suspend': () => undefined,
    'machines.signal': () => undefined,
    'machines.cordon': () => undefined,
    'machines.uncordon': () => undefined,
    'machines.destroy': () => undefined,
    'machines.setMetadata': () => undefined,
    'machines.deleteMetadata': () => undefined,
    'machines.releaseLease': () => undefined,
  };
  const table: Record<string, FlyAnswer> = { ...defaults, ...answers };

  // Proxies stand for every resource and method, so the fake never lags behind the interface.
  const resource = (name: string) =>
    new Proxy(
      {},
      {
        get(_target, method) {
          if (typeof method !== 'string' || method === 'then') return undefined;
          const op = `${name}.${method}`;
          return async (input: unknown, options?: CallOptions) => {
            // Zero-argument calls (platform.regions) put the options first.
            const call = name === 'platform' ? { op, input: undefined, options: input as CallOptions | undefined } : { op, input, options };
            calls.push(call);
            const fn = table[op];
            if (!fn) throw new Error(`fake Fly client: no answer for ${op}`);
            return fn(call.input, call.options);
          };
        },
      },
    );
  const fly = new Proxy(
    {},
    {
      get(_target, prop) {
        if (prop === 'close') return async () => undefined;
        // Declared operations are recorded under their name, as the resource methods are.
        if (prop === 'call') {
          return async (operation: { name: string }, input: unknown, options?: CallOptions) => {
            calls.push({ op: operation.name, input, options });
            const fn = table[operation.name];
            if (!fn) throw new Error(`fake Fly client: no answer for ${operation.name}`);
            return fn(input, options);
          };
        }
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return resource(prop);
      },
    },
  ) as FlyClient;

  return {
    fly,
    calls,
    ops: () => calls.map((c) => c.op),
    callsTo: (op) => calls.filter((c) => c.op === op),
    answer(op, fn) {
      table[op] = fn;
    },
    machines,
    put(app, machine) {
      machines.set(`${app}/${machine.id}`, structuredClone(machine));
      return machine;
    },
  };
}

/** A promise with its settle functions in hand, to hold a fake answer until the test lets it go. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The machine most use-case tests act on. */
export const TARGET = { app: 'web', machineId: 'm1' } as const;

/** A recording fake that already holds {@link TARGET}, `started` at `v1` unless `fields` say otherwise. */
export function flyWithMachine(fields: Partial<FlyMachine> = {}): RecordingFly {
  const f = createRecordingFly();
  f.put(TARGET.app, { id: TARGET.machineId, state: 'started', version: 'v1', ...fields });
  return f;
}
