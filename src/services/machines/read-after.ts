import type { FlyClient, WaitState } from '../../flyio/types.js';
import type { MachineOutcome, MachineTarget, UseCaseOptions, WaitOptions } from './types.js';

/** Longest wait a mutation may ask for, in seconds: longer holds a request (and a Fly wait slot) for too long. */
export const MAX_WAIT_SECONDS = 300;

/** The state a mutation waits for, and the machine version that must reach it (after an update). */
export interface WaitTarget {
  state: WaitState;
  version?: string;
}

/** Keeps a requested timeout inside 1..{@link MAX_WAIT_SECONDS}, whatever the caller validated. */
export function boundedWaitSeconds(requested: number): number {
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil(requested)));
}

/**
 * The common tail of every machine mutation: optionally wait (Fly's own `wait`, chained past 60 s by the client)
 * for the target state, then read the machine so the caller sees it as it now is.
 */
export async function waitThenRead(
  fly: FlyClient,
  target: MachineTarget,
  waitFor: WaitTarget,
  wait: WaitOptions | undefined,
  { signal }: UseCaseOptions,
): Promise<MachineOutcome> {
  let report: MachineOutcome['wait'];
  if (wait) {
    const timeoutSeconds = boundedWaitSeconds(wait.timeoutSeconds);
    const result = await fly.machines.wait({ ...target, state: waitFor.state, version: waitFor.version, timeoutSeconds }, { signal });
    report = { targetState: waitFor.state, reached: result.reached, timeoutSeconds };
  }
  const machine = await fly.machines.get({ ...target, includeLeases: true }, { signal });
  return { machine, wait: report };
}
