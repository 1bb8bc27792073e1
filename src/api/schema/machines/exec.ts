/**
 * `execMachine`: runs a command in a started machine (`POST …/exec`, src/flyio/machine-exec.ts) and answers what it
 * printed. A write: the write guard and the audit log wrap it like every mutation (the audit line names the machine,
 * never the command or its output); it is sent once, never retried or cached, and its output is handed to the
 * caller only.
 */
import { z } from 'zod';
import { FlyErrorCode, isFlyApiError } from '../../../flyio/errors.js';
import { EXEC_DEADLINE_MARGIN_MS, execMachine } from '../../../flyio/machine-exec.js';
import { builder } from '../../builder.js';
import { ErrorCode, ForbiddenError, UserFacingError, userFacingErrorClasses } from '../../errors.js';
import { ErrorInterface } from '../errors.js';
import { machineTargetFields, runMachineMutation } from './mutation-support.js';

/** The longest command run the gateway asks for: an HTTP request waits for the whole of it. */
export const MAX_EXEC_TIMEOUT_SECONDS = 120;
const DEFAULT_EXEC_TIMEOUT_SECONDS = 30;
const MAX_STDIN_CHARS = 64 * 1024;

/** The command did not finish within its timeout (Fly stopped waiting for it). */
export class ExecTimeoutError extends UserFacingError {
  readonly code = ErrorCode.DeadlineExceeded;
  constructor(
    message: string,
    readonly timeoutSeconds: number,
    options: { requestId?: string; cause?: unknown } = {},
  ) {
    super(message, options);
  }
  override get retryable(): boolean {
    return true;
  }
}

builder.objectType(ExecTimeoutError, {
  name: 'ExecTimeoutError',
  description: 'The command was still running when its timeout passed; what it printed is lost. Give it longer, or run less.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ timeoutSeconds: t.exposeInt('timeoutSeconds') }),
});

const ExecMachineInput = builder.inputType('ExecMachineInput', {
  fields: (t) => ({
    ...machineTargetFields(t),
    command: t.stringList({
      required: true,
      description: 'The program and its arguments, e.g. `["uname", "-a"]` (no shell unless you name one: `["sh", "-c", "…"]`).',
      validate: {
        schema: z
          .array(z.string().max(4096, 'each argument must be at most 4096 characters'))
          .min(1, 'command must name a program')
          .max(256, 'command must have at most 256 parts')
          .refine((parts) => parts.length === 0 || parts[0]!.trim() !== '', 'the program (first part) must not be empty'),
      },
    }),
    timeoutSeconds: t.int({
      required: false,
      description: `How long the command may run, in seconds (default ${DEFAULT_EXEC_TIMEOUT_SECONDS}, at most ${MAX_EXEC_TIMEOUT_SECONDS}).`,
      validate: {
        schema: z
          .number()
          .int('timeoutSeconds must be a whole number')
          .min(1, 'timeoutSeconds must be at least 1')
          .max(MAX_EXEC_TIMEOUT_SECONDS, `timeoutSeconds must be at most ${MAX_EXEC_TIMEOUT_SECONDS}`),
      },
    }),
    stdin: t.string({
      required: false,
      description: "Sent to the command's standard input.",
      validate: { schema: z.string().max(MAX_STDIN_CHARS, `stdin must be at most ${MAX_STDIN_CHARS} characters`) },
    }),
  }),
});

interface ExecOutput {
  exitCode: number | null;
  exitSignal: number | null;
  stdout: string;
  stderr: string;
}

const ExecMachineSuccess = builder.objectRef<ExecOutput>('ExecMachineSuccess').implement({
  description: 'The command ran to its end (whatever its exit code).',
  fields: (t) => ({
    exitCode: t.int({ nullable: true, description: 'Its exit code (127: no such command in the image).', resolve: (o) => o.exitCode }),
    exitSignal: t.int({ nullable: true, description: 'The signal that ended it, if one did.', resolve: (o) => o.exitSignal }),
    stdout: t.exposeString('stdout'),
    stderr: t.exposeString('stderr'),
  }),
});

builder.mutationField('execMachine', (t) =>
  t.field({
    type: ExecMachineSuccess,
    description:
      'Runs a command in a started machine and answers its output and exit code. A write (write scope; in fly-token mode your token must be allowed to change the app), sent once and never retried.',
    errors: { types: [...userFacingErrorClasses, ExecTimeoutError], directResult: true, union: { name: 'ExecMachineResult' } },
    args: { input: t.arg({ type: ExecMachineInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_EXEC_TIMEOUT_SECONDS;
      const run = async () => {
        try {
          return await ctx.services.fly.call(
            execMachine,
            { app: input.app, machineId: input.machineId, command: [...input.command], timeoutSeconds, stdin: input.stdin ?? undefined },
            { signal: ctx.signal, deadlineMs: timeoutSeconds * 1000 + EXEC_DEADLINE_MARGIN_MS },
          );
        } catch (error) {
          if (isFlyApiError(error) && error.httpStatus === 408) {
            throw new ExecTimeoutError(`The command did not finish within ${timeoutSeconds} s.`, timeoutSeconds, {
              requestId: error.requestId,
              cause: error,
            });
          }
          // The caller's own token (fly-token mode) was refused a write: it may read the app but not change it.
          if (isFlyApiError(error) && error.code === FlyErrorCode.Unauthorized && error.credential === 'caller') {
            throw new ForbiddenError(`Fly refused to let this token run commands in the app "${input.app}": nothing was run.`);
          }
          throw error;
        }
      };
      const output = await runMachineMutation(ctx, input.app, run, () => undefined);
      return {
        exitCode: output.exit_code ?? null,
        exitSignal: output.exit_signal ?? null,
        stdout: output.stdout ?? '',
        stderr: output.stderr ?? '',
      };
    },
  }),
);
