/**
 * Fly's NATS log stream as a {@link LiveLogSource}: subjects `logs.<app>.<region>.<machine id>`, JSON messages with
 * `fly.app.instance`, `fly.app.name`, `fly.region`, `log.level`, `message` and `timestamp` (flyctl `logs/nats.go`).
 * The user is the org slug and the password a Fly token (a read-only one works). One connection per gateway,
 * opened on first use and again after it was lost; Fly keeps no history there, so a line is known only by its
 * content, and its id is a hash of it.
 */
import { createHash } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import type { Logger } from '../../lib/logger.js';
import type { LiveLogFeed, LiveLogSource, LogLine } from '../../services/logs/types.js';

/** Options of {@link createNatsLogSource}. */
export interface NatsLogSourceOptions {
  /** `nats://[fdaa::3]:4223` on Fly's private network. */
  url: string;
  /** The org slug. */
  user: string;
  /** A Fly token (secret: never logged). */
  password: string;
  logger: Logger;
  /** How long connecting may take before the source counts as unreachable. @default 2000 */
  timeoutMs?: number;
}

interface NatsLogMessage {
  fly?: { app?: { instance?: string; name?: string }; region?: string };
  log?: { level?: string };
  message?: string;
  timestamp?: string;
}

/** The line a NATS message holds, or undefined when it is not one. */
export function lineOfNatsMessage(app: string, text: string): LogLine | undefined {
  let body: NatsLogMessage;
  try {
    body = JSON.parse(text) as NatsLogMessage;
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || typeof body.message !== 'string') return undefined;
  const machineId = body.fly?.app?.instance ?? '';
  const timestamp = typeof body.timestamp === 'string' ? body.timestamp : new Date().toISOString();
  const id = createHash('sha256')
    .update(JSON.stringify([timestamp, machineId, body.message]))
    .digest('base64url')
    .slice(0, 22);
  return {
    id: `nats-${id}`,
    timestamp,
    app,
    machineId,
    region: body.fly?.region ?? '',
    level: body.log?.level ?? 'info',
    message: body.message,
  };
}

/** Creates the source; nothing connects until the first `follow`. */
export function createNatsLogSource(options: NatsLogSourceOptions): LiveLogSource {
  let connection: Promise<NatsConnection> | undefined;
  const connected = (): Promise<NatsConnection> => {
    if (connection) return connection;
    const opening = connect({
      servers: options.url,
      user: options.user,
      pass: options.password,
      timeout: options.timeoutMs ?? 2_000,
      // A lost connection ends the feeds at once: the poll loop takes over rather than wait for reconnects.
      reconnect: false,
      name: 'flygate-logs',
    });
    connection = opening;
    opening.then(
      (nc) =>
        void nc.closed().then(() => {
          if (connection === opening) connection = undefined;
        }),
      () => {
        if (connection === opening) connection = undefined;
      },
    );
    return opening;
  };

  return {
    async follow(app, onLine): Promise<LiveLogFeed> {
      const nc = await connected();
      const subscription = nc.subscribe(`logs.${app}.>`);
      await nc.flush();
      const closed = (async () => {
        for await (const message of subscription) {
          const line = lineOfNatsMessage(app, message.string());
          if (line) onLine(line);
        }
      })().catch((error: unknown) => options.logger.debug({ err: String(error) }, 'NATS log feed ended'));
      // The connection closing also ends the subscription's iterator.
      return {
        closed: Promise.race([closed, nc.closed().then(() => undefined)]),
        async close() {
          subscription.unsubscribe();
          await closed;
        },
      };
    },
    async close() {
      const open = connection;
      connection = undefined;
      if (open) await open.then((nc) => nc.close()).catch(() => undefined);
    },
  };
}
