import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import type { Config } from '../config/schema.js';
import { createEmulator, type Emulator } from '../emulator/emulator.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createDemoRelay, type DemoRelay } from './relay.js';

/**
 * The Fly client's base URL in demo mode. The host is never looked up: the demo dispatcher connects every request
 * to the embedded emulator's loopback port, which is only known once the emulator listens.
 */
export const DEMO_FLY_BASE_URL = 'http://embedded-emulator.flygate';

/** Everything demo mode adds to a gateway: the embedded emulator, the way the Fly client reaches it, and the relay. */
export interface DemoMode {
  readonly emulator: Emulator;
  /** How the Fly client reaches the emulator (valid from creation; connections work once `start()` resolved). */
  readonly fly: { baseUrl: string; token: string; dispatcher: Dispatcher };
  /** The secrets the gateway's webhook endpoint accepts: the configured ones, or one made up for the relay. */
  readonly webhookSecrets: string[];
  /** Starts the emulator on loopback and its activity loop. */
  start(): Promise<void>;
  /** Starts relaying the emulator's changes as signed webhooks to the gateway's own endpoint. */
  startRelay(webhookUrl: string): void;
  /** Ends the activity loop and the relay (waiting for the webhook in flight): no new changes from here on. */
  stopChanges(): Promise<void>;
  /** Stops everything, the emulator last, and closes the demo dispatcher. */
  stop(): Promise<void>;
}

/** Options for {@link createDemoMode}. */
export interface DemoModeOptions {
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  /** Use this emulator instead of a seeded one (tests); it is started and stopped like the own one. */
  emulator?: Emulator;
}

/** Builds demo mode's parts. Opens nothing: `start()` does the I/O. */
export function createDemoMode({ config, clock, logger, emulator = createEmulator({ seed: 'demo' }) }: DemoModeOptions): DemoMode {
  // Demo mode has no relay to share a secret with, so it makes one for the embedded relay unless one is configured.
  const webhookSecrets =
    config.webhooks.secrets.length > 0 ? [...config.webhooks.secrets] : [`whsec_${randomBytes(32).toString('base64')}`];
  const dispatcher = new Agent({
    keepAliveTimeout: 10_000,
    headersTimeout: config.fly.deadlineMs,
    bodyTimeout: config.fly.deadlineMs,
    connect: (_options, callback) => {
      const port = Number(new URL(emulator.url || 'http://127.0.0.1:1').port);
      const socket = connect({ host: '127.0.0.1', port });
      const onError = (error: Error) => callback(error, null);
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        callback(null, socket);
      });
    },
  });
  let relay: DemoRelay | undefined;
  async function stopChanges(): Promise<void> {
    emulator.stopActivity();
    await relay?.stop();
    relay = undefined;
  }

  return {
    emulator,
    fly: { baseUrl: DEMO_FLY_BASE_URL, token: emulator.token, dispatcher },
    webhookSecrets,
    async start() {
      await emulator.start({ port: config.emulator.port, host: '127.0.0.1' });
      emulator.startActivity(config.emulator.activityIntervalMs);
    },
    startRelay(webhookUrl) {
      relay ??= createDemoRelay({ source: emulator, url: webhookUrl, secret: webhookSecrets[0], clock, logger });
    },
    stopChanges,
    async stop() {
      await stopChanges();
      await emulator.stop();
      await dispatcher.close();
    },
  };
}
