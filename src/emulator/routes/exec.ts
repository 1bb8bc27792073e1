/**
 * `POST …/machines/{id}/exec`: runs a command in a started machine and answers what it printed. The emulator has no
 * processes to run, so a small set of commands answers from what it knows of the machine (its id, config env,
 * region, image); anything else is a command the image does not have (exit 127), as a shell would say.
 */
import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody } from '../request-helpers.js';
import { currentConfig } from '../serialize.js';
import type { MachineRecord } from '../types.js';

/** The longest `timeout` (seconds) the emulator accepts; Fly's exec is for short commands. */
export const MAX_EXEC_TIMEOUT_SECONDS = 600;
const DEFAULT_TIMEOUT_SECONDS = 30;

interface ExecOutcome {
  exit_code: number;
  stdout: string;
  stderr: string;
}

const ok = (stdout: string): ExecOutcome => ({ exit_code: 0, stdout, stderr: '' });
const fail = (exit_code: number, stderr: string): ExecOutcome => ({ exit_code, stdout: '', stderr });

function commandOf(body: Record<string, unknown>): string[] {
  const { command, cmd } = body;
  if (command !== undefined) {
    if (!Array.isArray(command) || command.some((part) => typeof part !== 'string'))
      throw flyError(400, 'command must be an array of strings');
    if (command.length > 0) return command as string[];
  }
  if (cmd !== undefined && typeof cmd !== 'string') throw flyError(400, 'cmd must be a string');
  const split = typeof cmd === 'string' ? cmd.trim().split(/\s+/).filter(Boolean) : [];
  if (split.length === 0) throw flyError(400, 'command is required');
  return split;
}

function timeoutOf(body: Record<string, unknown>): number {
  const { timeout } = body;
  if (timeout === undefined || timeout === null) return DEFAULT_TIMEOUT_SECONDS;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > MAX_EXEC_TIMEOUT_SECONDS) {
    throw flyError(400, `timeout must be a whole number of seconds between 0 and ${MAX_EXEC_TIMEOUT_SECONDS}`);
  }
  return timeout === 0 ? DEFAULT_TIMEOUT_SECONDS : timeout;
}

/** The environment a process in the machine sees: Fly's own variables, then the config's `env`. */
function environment(m: MachineRecord): Record<string, string> {
  const config = currentConfig(m);
  const env: Record<string, string> = {
    FLY_APP_NAME: m.app,
    FLY_MACHINE_ID: m.id,
    FLY_REGION: m.region,
    FLY_PRIVATE_IP: m.privateIp,
    FLY_IMAGE_REF: typeof config.image === 'string' ? config.image : '',
    HOSTNAME: m.id,
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  };
  const own = config.env;
  if (own && typeof own === 'object') for (const [k, v] of Object.entries(own)) if (typeof v === 'string') env[k] = v;
  return env;
}

const uname = (m: MachineRecord, flags: string[]): ExecOutcome => {
  const all = flags.some((f) => f.startsWith('-') && f.includes('a'));
  return ok(all ? `Linux ${m.id} 6.1.98-fly #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n` : 'Linux\n');
};

/** Runs one command against what the emulator knows of `m`; `sleepSeconds` is how long the command would take. */
function run(m: MachineRecord, argv: string[], stdin: string | undefined): ExecOutcome & { sleepSeconds?: number } {
  const [name, ...args] = argv;
  const program = name.slice(name.lastIndexOf('/') + 1);
  switch (program) {
    case 'uname':
      return uname(m, args);
    case 'hostname':
      return ok(`${m.id}\n`);
    case 'echo':
      return ok(`${args.join(' ')}\n`);
    case 'true':
      return ok('');
    case 'false':
      return fail(1, '');
    case 'pwd':
      return ok('/app\n');
    case 'whoami':
      return ok('root\n');
    case 'env':
    case 'printenv': {
      const env = environment(m);
      if (args.length > 0) {
        const found = args.filter((key) => key in env);
        return { exit_code: found.length === args.length ? 0 : 1, stdout: found.map((key) => `${env[key]}\n`).join(''), stderr: '' };
      }
      return ok(
        Object.entries(env)
          .map(([k, v]) => `${k}=${v}\n`)
          .join(''),
      );
    }
    case 'cat': {
      if (args.length === 0) return ok(stdin ?? '');
      const files: Record<string, string> = { '/etc/hostname': `${m.id}\n`, '/etc/fly-region': `${m.region}\n` };
      const missing = args.find((file) => !(file in files));
      if (missing) return fail(1, `cat: ${missing}: No such file or directory\n`);
      return ok(args.map((file) => files[file]).join(''));
    }
    case 'sleep': {
      const seconds = Number(args[0]);
      if (!Number.isFinite(seconds) || seconds < 0) return fail(1, `sleep: invalid time interval '${args[0] ?? ''}'\n`);
      return { ...ok(''), sleepSeconds: seconds };
    }
    case 'sh':
    case 'bash':
      if (args[0] === '-c' && typeof args[1] === 'string') {
        const inner = args[1].trim().split(/\s+/).filter(Boolean);
        return inner.length > 0 ? run(m, inner, stdin) : ok('');
      }
      return fail(2, `${program}: only -c "<command>" is supported here\n`);
    default:
      return fail(127, `sh: 1: ${name}: command not found\n`);
  }
}

/** The exec route. */
export function execRoutes(ctx: RouteContext): Handlers {
  const { store, clock } = ctx;
  return {
    'machines.exec': async ({ params, body, signal }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const input = objectBody(body);
      const argv = commandOf(input);
      const timeout = timeoutOf(input);
      if (input.stdin !== undefined && typeof input.stdin !== 'string') throw flyError(400, 'stdin must be a string');
      // Fly runs the command inside the running VM: there is nothing to run it in otherwise.
      if (m.state !== 'started') throw flyError(412, `machine ${m.id} is not started (state: ${m.state}); start it before exec`);
      const outcome = run(m, argv, input.stdin as string | undefined);
      if (outcome.sleepSeconds !== undefined) {
        const waitMs = Math.min(outcome.sleepSeconds, timeout) * 1000;
        await clock.sleep(waitMs, signal).catch(() => undefined);
        if (outcome.sleepSeconds > timeout) throw flyError(408, `deadline_exceeded: the command did not finish within ${timeout}s`);
      }
      return { status: 200, body: { exit_code: outcome.exit_code, stdout: outcome.stdout, stderr: outcome.stderr } };
    },
  };
}
