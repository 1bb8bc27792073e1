/**
 * `wait`: Fly blocks at most 60 s per request (its proxy cuts longer ones) and answers 408 when the state was not
 * reached. Longer waits are served by chaining requests until the caller's total timeout has passed on the clock.
 */
import { FlyApiError, FlyErrorCode } from './errors.js';
import { machinePath } from './machine-path.js';
import type { Requester } from './request.js';
import type { MachinesApi, WaitState } from './types.js';
import { flyWaitResponseSchema } from './wire/machine.js';

/** Longest single wait Fly serves, in seconds. */
export const MAX_WAIT_CHUNK_SECONDS = 60;
/** Extra deadline over a wait's own timeout, for the network and Fly's reply. */
export const WAIT_DEADLINE_MARGIN_MS = 5000;
/** Total timeout when the caller gives none (Fly's own default). */
export const DEFAULT_WAIT_SECONDS = 60;

function clampChunk(remainingMs: number): number {
  return Math.min(MAX_WAIT_CHUNK_SECONDS, Math.max(1, Math.ceil(remainingMs / 1000)));
}

function stateList(state: WaitState | WaitState[] | undefined): WaitState[] | undefined {
  if (state === undefined) return undefined;
  const list = Array.isArray(state) ? state : [state];
  return list.length > 0 ? list : undefined;
}

/** Builds `machines.wait` over a requester. */
export function createWaitApi(requester: Requester): Pick<MachinesApi, 'wait'> {
  return {
    async wait(input, options) {
      const totalSeconds = input.timeoutSeconds ?? DEFAULT_WAIT_SECONDS;
      if (!Number.isFinite(totalSeconds) || totalSeconds <= 0) {
        throw new FlyApiError({
          code: FlyErrorCode.BadRequest,
          operation: 'machines.wait',
          message: 'machines.wait: timeoutSeconds must be a positive number',
        });
      }
      const totalMs = totalSeconds * 1000;
      const path = machinePath('machines.wait', input, '/wait');
      const startedAt = requester.clock.now();
      // Counting requested time as well as clock time stops a server that 408s early from causing a tight loop.
      let requestedMs = 0;
      const spent = () => Math.max(requester.clock.now() - startedAt, requestedMs);
      for (;;) {
        const chunkSeconds = clampChunk(totalMs - spent());
        const result = await requester.send({
          operation: 'machines.wait',
          method: 'GET',
          path,
          query: { state: stateList(input.state), version: input.version, from_event_id: input.fromEventId, timeout: chunkSeconds },
          schema: flyWaitResponseSchema,
          // Some Fly versions answer an empty 200.
          unwrap: (raw) => raw ?? {},
          passStatuses: [408],
          isWait: true,
          defaultDeadlineMs: chunkSeconds * 1000 + WAIT_DEADLINE_MARGIN_MS,
          rateScope: input.machineId,
          options,
        });
        if (result.ok) return { reached: true, ...result.data };
        requestedMs += chunkSeconds * 1000;
        if (spent() >= totalMs) return { reached: false };
      }
    },
  };
}
