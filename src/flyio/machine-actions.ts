/**
 * Machine lifecycle actions. All are unsafe methods, so the request path sends each exactly once; their success
 * bodies vary between Fly versions (empty, `{ok:true}`, a start summary), so none is parsed.
 */
import { machinePath } from './machine-path.js';
import { requireNonEmpty } from './request-parts.js';
import type { Requester } from './request.js';
import type { CallOptions, MachineRef, MachinesApi } from './types.js';

type ActionApi = Pick<MachinesApi, 'destroy' | 'start' | 'stop' | 'restart' | 'suspend' | 'signal' | 'cordon' | 'uncordon'>;

/** Seconds as the Go duration Fly expects (`30s`). */
function goDuration(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : `${seconds}s`;
}

/** Builds the lifecycle actions over a requester. */
export function createMachineActions(requester: Requester): ActionApi {
  async function post(
    operation: string,
    ref: MachineRef,
    suffix: string,
    options: CallOptions | undefined,
    extra: { body?: unknown; query?: Record<string, string | undefined> } = {},
  ) {
    await requester.call({
      operation,
      method: 'POST',
      path: machinePath(operation, ref, suffix),
      body: extra.body,
      query: extra.query,
      rateScope: ref.machineId,
      options,
    });
  }

  return {
    async destroy(input, options) {
      // The spec names the flag `force`; fly-go and fly-admin send `kill`. Fly ignores unknown query parameters,
      // so sending both makes a forced destroy effective under either reading without risking a 400.
      const query = input.force ? { force: 'true', kill: 'true' } : undefined;
      await requester.call({
        operation: 'machines.destroy',
        method: 'DELETE',
        path: machinePath('machines.destroy', input),
        query,
        rateScope: input.machineId,
        options,
      });
    },

    start: async (input, options) => post('machines.start', input, '/start', options),

    async stop(input, options) {
      const timeout = goDuration(input.timeoutSeconds);
      const body = input.signal !== undefined || timeout !== undefined ? { signal: input.signal, timeout } : undefined;
      return post('machines.stop', input, '/stop', options, { body });
    },

    async restart(input, options) {
      // The spec takes these as query parameters (fly-admin's JSON body is the deviation).
      return post('machines.restart', input, '/restart', options, {
        query: { signal: input.signal, timeout: goDuration(input.timeoutSeconds) },
      });
    },

    suspend: (input, options) => post('machines.suspend', input, '/suspend', options),

    async signal(input, options) {
      const signal = requireNonEmpty('machines.signal', 'signal', input.signal);
      return post('machines.signal', input, '/signal', options, { body: { signal } });
    },

    cordon: (input, options) => post('machines.cordon', input, '/cordon', options),
    uncordon: (input, options) => post('machines.uncordon', input, '/uncordon', options),
  };
}
