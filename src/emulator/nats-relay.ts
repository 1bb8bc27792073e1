/**
 * Publishes the emulator's log lines to a NATS server the way Fly's log stream does: subject
 * `logs.<app>.<region>.<machine id>`, a JSON body with `event.provider`, `fly.app.instance`, `fly.app.name`,
 * `fly.region`, `log.level`, `message` and `timestamp`. For gateways (and tests) that follow logs over NATS.
 */
import { connect, type NatsConnection } from 'nats';
import type { LogStore } from './log-store.js';

/** A running relay. */
export interface NatsLogRelay {
  stop(): Promise<void>;
}

/** Connects to `url` and publishes every new line of `logs` until stopped. */
export async function startNatsLogRelay(logs: LogStore, url: string): Promise<NatsLogRelay> {
  const nc: NatsConnection = await connect({ servers: url, name: 'flygate-emulator-logs' });
  const stop = logs.onLine((line) => {
    const body = {
      event: { provider: 'app' },
      fly: { app: { instance: line.instance, name: line.app }, region: line.region },
      host: 'emulator',
      log: { level: line.level },
      message: line.message,
      timestamp: new Date(line.at).toISOString(),
    };
    nc.publish(`logs.${line.app}.${line.region}.${line.instance}`, JSON.stringify(body));
  });
  return {
    async stop() {
      stop();
      await nc.drain().catch(() => undefined);
    },
  };
}
