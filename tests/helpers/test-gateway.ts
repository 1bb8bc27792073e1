import { loadConfig } from '#src/config/load-config.js';
import { createEmulator, type Emulator, type EmulatorOptions } from '#src/emulator/emulator.js';
import { createGateway, type Gateway, type GatewayDeps } from '#src/gateway.js';
import type { Clock } from '#src/lib/clock.js';

/** Transitions settle at once: tests drive state with the control API or a manual clock, not with elapsed time. */
export const INSTANT = { start: 0, stop: 0, restart: 0, suspend: 0, destroy: 0, update: 0, create: 0 };

/** Live mode against `emu`, quiet, without client-side rate budgets or the sync job. */
export function liveEnv(emu: Emulator): Record<string, string> {
  return {
    LOG_LEVEL: 'silent',
    FLY_API_TOKEN: emu.token,
    FLY_API_BASE_URL: emu.url,
    // The emulator serves the platform API (logs) on the same URL.
    FLY_PLATFORM_BASE_URL: emu.url,
    FLY_RATE_LIMIT: 'false',
    SYNC_ENABLED: 'false',
    // Tests that load the production config run it open, as they did before access control existed.
    AUTH_ALLOW_NONE: 'true',
  };
}

/** {@link liveEnv} plus a loopback listener on a free port. */
export function listeningEnv(emu: Emulator): Record<string, string> {
  return { PORT: '0', HOST: '127.0.0.1', ...liveEnv(emu) };
}

/** Options of {@link buildTestGateway}. */
export interface BuildTestGatewayOptions {
  /** Use this emulator (already started, shared, never stopped by `close`) instead of creating one. */
  emulator?: Emulator;
  /** Options of the emulator created here; `delays` apply over {@link INSTANT}. @default seed 'none' */
  emulatorOptions?: EmulatorOptions;
  /** Clock handed to the gateway. @default the system clock (the gateway's own default) */
  gatewayClock?: Clock;
  /** Listen on loopback (`gateway.start()`), else the gateway is only reachable through `gateway.fetch`. */
  listen?: boolean;
  /** Environment over {@link liveEnv} (or {@link listeningEnv} when listening). */
  env?: Record<string, string>;
  /** Infrastructure handed to the gateway besides the clock (a span exporter, a log destination, a dispatcher). */
  deps?: Omit<GatewayDeps, 'clock'>;
}

/** A gateway in front of an emulator on an ephemeral loopback port. */
export interface BuiltTestGateway {
  gateway: Gateway;
  emu: Emulator;
  /** The GraphQL URL when listening, else ''. */
  url: string;
  /** Stops the gateway, then the emulator when it was created here. */
  close(): Promise<void>;
}

/** Creates (unless given) and starts an emulator, then a gateway configured against it. */
export async function buildTestGateway(options: BuildTestGatewayOptions = {}): Promise<BuiltTestGateway> {
  const ownEmulator = !options.emulator;
  const emulatorOptions = options.emulatorOptions ?? {};
  const emu = options.emulator ?? createEmulator({ seed: 'none', ...emulatorOptions, delays: { ...INSTANT, ...emulatorOptions.delays } });
  if (ownEmulator) await emu.start({ port: 0, host: '127.0.0.1' });
  try {
    const base = options.listen ? listeningEnv(emu) : liveEnv(emu);
    const gateway = createGateway(loadConfig({ env: { ...base, ...options.env } }), { ...options.deps, clock: options.gatewayClock });
    const url = options.listen ? (await gateway.start()).url : '';
    return {
      gateway,
      emu,
      url,
      async close() {
        await gateway.stop();
        if (ownEmulator) await emu.stop();
      },
    };
  } catch (error) {
    // A gateway that failed to build or listen must not leave the emulator's socket open.
    if (ownEmulator) await emu.stop();
    throw error;
  }
}
