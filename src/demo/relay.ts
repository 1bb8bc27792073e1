import { randomUUID } from 'node:crypto';
import type { EmulatorChange } from '../emulator/emulator.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
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
  /** Longest pause between two attempts at the same webhook. @default 2000 */
  maxBackoffMs?: number;
  /** Called after each accepted webhook (tests and metrics). */
  onDelivered?: (change: EmulatorChange) => void;
}

/** A running relay. */
export interface DemoRelay {
  /** Stops taking changes and waits for the webhook in flight. */
  stop(): Promise<void>;
}

/**
 * Demo mode's stand-in for a production relay: it turns the embedded emulator's change notices into signed
 * Standard Webhooks and posts them to the gateway over loopback HTTP, one at a time so order is kept. A change is
 * kept until the gateway accepts it: while the gateway answers 503 (its event bus or Redis is down) or cannot be
 * reached, the relay retries with the same webhook id, backing off up to `maxBackoffMs`, so no change is lost
 * quietly. Only a permanent refusal (a 4xx, which means a bug) drops a change, with a warning.
 */
export function createDemoRelay({ source, url, secret, clock, logger, maxBackoffMs = 2_000, onDelivered }: DemoRelayOptions): DemoRelay {
  let chain: Promise<void> = Promise.resolve();
  let stopped = false;
  // Cuts a retry backoff short on stop(), so stopping never waits out a delay for a webhook it will not send.
  const stopping = new AbortController();

  async function deliver(change: EmulatorChange): Promise<void> {
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(change);
    for (let attempt = 1; !stopped; attempt++) {
      const headers = signWebhook({ secrets: [secret], id, timestamp: Math.floor(clock.now() / 1000), body });
      try {
        const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
        const answer = await response.text().catch(() => '');
        if (response.ok) {
          onDelivered?.(change);
          return;
        }
        if (response.status !== 503 && response.status < 500) {
          logger.warn(
            { status: response.status, type: change.type, answer: answer.slice(0, 200) },
            'demo relay: webhook refused; change dropped',
          );
          return;
        }
        if (attempt === 1)
          logger.warn({ status: response.status, type: change.type }, 'demo relay: gateway cannot take events yet; retrying');
      } catch (error) {
        if (attempt === 1) logger.warn({ err: (error as Error).message }, 'demo relay: gateway unreachable; retrying');
      }
      await clock.sleep(Math.min(maxBackoffMs, 100 * 2 ** Math.min(attempt, 10)), stopping.signal).catch(() => undefined);
    }
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
