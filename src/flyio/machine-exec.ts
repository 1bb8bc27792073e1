/**
 * Running a command in a machine (`POST …/exec`). A write: sent once, never retried or cached, and what it printed
 * is handed to the caller only (never logged: the request path logs no bodies).
 */
import { defineOperation } from './operation.js';
import type { MachineRef } from './types.js';
import { flyExecResponseSchema, type FlyExecResponse } from './wire/machine.js';

/** Input of {@link execMachine}. */
export interface ExecMachineInput extends MachineRef {
  /** The program and its arguments (no shell unless the command names one). */
  command: string[];
  /** How long Fly lets the command run, in seconds. */
  timeoutSeconds: number;
  /** Sent to the command's standard input. */
  stdin?: string;
}

/** `POST /apps/{app}/machines/{id}/exec`: runs `command` in the started machine and answers its output and exit code. */
export const execMachine = defineOperation<ExecMachineInput, FlyExecResponse>({
  name: 'machines.exec',
  method: 'POST',
  path: '/apps/{app}/machines/{machineId}/exec',
  body: ({ command, timeoutSeconds, stdin }) => ({ command, timeout: timeoutSeconds, ...(stdin === undefined ? {} : { stdin }) }),
  response: flyExecResponseSchema,
  target: ({ app, machineId }) => ({ app, machineId }),
});

/** Time the gateway gives an exec call beyond the command's own timeout (Fly's answer, the connection). */
export const EXEC_DEADLINE_MARGIN_MS = 5_000;
