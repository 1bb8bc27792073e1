import { randomUUID } from 'node:crypto';
import type { EmulatorChange } from '../emulator/emulator.js';
import type { Clock } from '../infra/clock.js';
import type { Logger } from '../infra/logger.js';
import { signWebhook } from '../services/webhooks/signature.js';

/** Options for {@link createDemoRelay}. */
export interface DemoRelayOptions {
  /** Where change notices come from (the embedded emulator). */
  source: { onChange(listener: (change: EmulatorChange) => void): () => void };
  /** The gateway's `POST /webhooks/fly` URL. */
  url: string;
  secret: string;
  clock: Clock;
  logger: Logger;
  /** Attempts per webhook when the gateway answers 503 or cannot be reached. @default 5 */
  maxAttempts?: number;
}

/** A running relay. */
export interface DemoRelay {
  /** Stops taking changes and waits for the webhook in flight. */
  stop(): Promise<void>;
}

/**
 * Demo mode's stand-in for a production relay: it turns the embedded emulator's change notices into signed
 * Standard Webhooks and posts them to the gateway over loopback HTTP, one at a time so order is kept, retrying
 * with the same webhook id when the gateway answers 503 (the same contract a real relay follows).
 */
export function createDemoRelay({ source, url, secret, clock, logger, maxAttempts = 5 }: DemoRelayOptions): DemoRelay {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  // Cuts a retry backoff short on stop(), so stopping never waits out a delay for a webhook it will not send.
  const stopping = new AbortController();

  async function deliver(change: EmulatorChange): Promise<void> {
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(change);
    for (let attempt = 1; attempt <= maxAttempts && !stopped; attempt++) {
      const headers = signWebhook({ secrets: [secret], id, timestamp: Math.floor(clock.now() / 1000), body });
      try {
        const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        if (response.ok) {
          await response.arrayBuffer();
          return;
        }
        const answer = await response.text().catch(() => '');
        if (response.status !== 503) {
          logger.warn({ status: response.status, type: change.type, answer: answer.slice(0, 200) }, 'demo relay: webhook rejected');
          return;
        }
      } catch (error) {
        logger.debug({ err: (error as Error).message }, 'demo relay: gateway unreachable');
      }
      await clock.sleep(Math.min(2_000, 100 * 2 ** attempt), stopping.signal).catch(() => undefined);
    }
    if (!stopped) logger.warn({ type: change.type }, 'demo relay: gave up on a webhook');
  }

  const unsubscribe = source.onChange((change) => {
    if (stopped) return;
    chain = chain.then(() => deliver(change));
  });

  return {
    async stop() {
      stopped = true;
      stopping.abort();
      unsubscribe();
      await chain;
    },
  };
}
