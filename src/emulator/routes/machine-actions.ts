import type { Handlers, RouteContext } from '../context.js';
import { flyError } from '../http-error.js';
import { objectBody, parseDurationMs, requireLease } from '../request-helpers.js';

const STOP_SIGNALS = new Set(['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGKILL', 'SIGUSR1', 'SIGUSR2', 'SIGTERM']);
const SIGNALS = new Set([...STOP_SIGNALS, 'SIGABRT', 'SIGALRM', 'SIGFPE', 'SIGILL', 'SIGPIPE', 'SIGSEGV', 'SIGTRAP']);

function checkSignal(value: unknown, allowed: Set<string>): void {
  if (value === undefined || value === null || value === '') return;
  if (typeof value !== 'string' || !allowed.has(value.toUpperCase())) throw flyError(400, `invalid signal: ${String(value)}`);
}

/** Handlers for start/stop/restart/suspend/signal/cordon/uncordon (MACHINES-API.md §2.2, §5). */
export function machineActionRoutes(ctx: RouteContext): Handlers {
  const { store, clock, lifecycle } = ctx;
  const ok = { status: 200, body: { ok: true } };

  const mutable = (params: Record<string, string>, headers: Parameters<typeof requireLease>[1]) => {
    const m = store.getMachine(params.app_name, params.machine_id);
    requireLease(m, headers, clock.now());
    return m;
  };

  const setCordoned = (params: Record<string, string>, headers: Parameters<typeof requireLease>[1], cordoned: boolean) => {
    const m = mutable(params, headers);
    m.cordoned = cordoned;
    lifecycle.touch(m);
    return ok;
  };

  return {
    'machines.start': ({ params, headers }) => {
      const previous = lifecycle.start(mutable(params, headers));
      // Docs example body; the spec documents no content.
      return { status: 200, body: { previous_state: previous, migrated: false, new_host: '' } };
    },
    'machines.stop': ({ params, headers, body }) => {
      const input = objectBody(body);
      checkSignal(input.signal, STOP_SIGNALS);
      parseDurationMs(input.timeout);
      lifecycle.stop(mutable(params, headers));
      return ok;
    },
    'machines.restart': ({ params, headers, body, query }) => {
      // The spec puts timeout/signal in the query; fly-admin sends them in a JSON body. Both are accepted.
      const input = objectBody(body);
      checkSignal(input.signal ?? query.get('signal'), STOP_SIGNALS);
      parseDurationMs(input.timeout ?? query.get('timeout'));
      lifecycle.restart(mutable(params, headers));
      return ok;
    },
    'machines.suspend': ({ params, headers }) => {
      lifecycle.suspend(mutable(params, headers));
      return ok;
    },
    'machines.signal': ({ params, body }) => {
      const m = store.getMachine(params.app_name, params.machine_id);
      const input = objectBody(body);
      if (!input.signal) throw flyError(400, 'signal is required');
      checkSignal(input.signal, SIGNALS);
      if (m.state !== 'started') throw flyError(412, `unable to signal machine in state '${m.state}'`);
      const signal = String(input.signal).toUpperCase();
      // A SIGKILL ends the main process like a crash would; other signals are delivered and ignored.
      if (signal === 'SIGKILL') lifecycle.exit(m, 137);
      return ok;
    },
    'machines.cordon': ({ params, headers }) => setCordoned(params, headers, true),
    'machines.uncordon': ({ params, headers }) => setCordoned(params, headers, false),
  };
}
