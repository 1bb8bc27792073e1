import { silentLogger, type Logger } from '../../lib/logger.js';
import { EventInFlightError, type EventIngest } from '../events/event-ingest.js';
import { parseWebhookBody } from './parse.js';
import type { WebhookVerifier } from './verify.js';

/** The headers a delivery carries, as the transport hands them over (a fetch `Headers` fits). */
export type WebhookHeaders = Parameters<WebhookVerifier['verify']>[1];

/** What became of one delivery. The transport decides how to say it (the HTTP route maps each to a status). */
export type WebhookOutcome =
  /** Published, or already published earlier under the same event id. */
  | { kind: 'accepted'; outcome: 'published' | 'duplicate' }
  /** Signature, timestamp or headers do not check out; nothing was parsed. */
  | { kind: 'unauthenticated'; reason: string }
  /** Signed correctly but the body is not a webhook we understand. */
  | { kind: 'invalid'; errors: string[] }
  /** An earlier delivery of the same event is still being handed on: retry later. */
  | { kind: 'in-flight' }
  /** The event could not be handed on (event bus or dedupe store failed): retry later. */
  | { kind: 'unavailable' };

/** Dependencies of {@link createWebhookReceiver}. */
export interface WebhookReceiverDeps {
  verifier: WebhookVerifier;
  ingest: EventIngest;
  logger?: Logger;
}

/** Receives verified machine events from a relay: signature, then body shape, then the one ingest call. */
export interface WebhookReceiver {
  /** `rawBody` must be the exact bytes received: the signature covers them, not a re-encoding. */
  receive(rawBody: Uint8Array, headers: WebhookHeaders): Promise<WebhookOutcome>;
}

/**
 * Creates the {@link WebhookReceiver}. Verification runs on the raw bytes before anything a stranger sent is
 * parsed; nothing is published or remembered for a delivery that is not accepted.
 */
export function createWebhookReceiver(deps: WebhookReceiverDeps): WebhookReceiver {
  const logger = deps.logger ?? silentLogger;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  return {
    async receive(rawBody, headers) {
      const verified = deps.verifier.verify(rawBody, headers);
      if (!verified.ok) {
        logger.info({ reason: verified.reason, webhookId: headerOf(headers, 'webhook-id') }, 'webhook rejected');
        return { kind: 'unauthenticated', reason: verified.reason };
      }
      let text: string;
      try {
        text = utf8.decode(rawBody);
      } catch {
        return { kind: 'invalid', errors: ['body is not valid UTF-8'] };
      }
      const parsed = parseWebhookBody(text, verified.id);
      if (!parsed.ok) {
        logger.info({ webhookId: verified.id, errors: parsed.errors }, 'webhook body rejected');
        return { kind: 'invalid', errors: parsed.errors };
      }
      try {
        const outcome = await deps.ingest.ingest(parsed.event);
        logger.debug({ webhookId: verified.id, eventId: parsed.event.id, outcome }, 'webhook accepted');
        return { kind: 'accepted', outcome };
      } catch (error) {
        if (error instanceof EventInFlightError) return { kind: 'in-flight' };
        logger.error({ webhookId: verified.id, eventId: parsed.event.id, err: String(error) }, 'webhook event could not be handed on');
        return { kind: 'unavailable' };
      }
    },
  };
}

function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  return (headers as Record<string, string | undefined>)[name];
}
