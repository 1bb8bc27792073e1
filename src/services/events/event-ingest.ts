import { silentLogger, type Logger } from '../../lib/logger.js';
import { type DedupeStore, type EventBus } from '../ports.js';
import { type GatewayEvent } from './types.js';

/** Thrown by {@link EventIngest.ingest} when another attempt for the same id is still in flight. Retry later. */
export class EventInFlightError extends Error {
  readonly code = 'EVENT_IN_FLIGHT';
  constructor(readonly eventId: string) {
    super(`an earlier delivery of event ${eventId} is still being processed`);
    this.name = 'EventInFlightError';
  }
}

/** Dependencies of {@link createEventIngest}. */
export interface EventIngestDeps {
  bus: EventBus;
  dedupe: DedupeStore;
  /**
   * Runs before the event is published (e.g. cache invalidation), so a subscriber that refetches on the event does
   * not read a stale cache entry. Its failure is logged and does not stop the event: caches expire, events do not
   * come back.
   */
  onEvent?: (event: GatewayEvent) => Promise<void> | void;
  /** Runs once an event was published (not for duplicates), e.g. to count it. Must not throw. */
  onPublished?: (event: GatewayEvent) => void;
  logger?: Logger;
}

/** The one service call both event sources (webhook, sync job) end in. */
export interface EventIngest {
  /**
   * Publishes `event` unless its id was already accepted. Rejects when the event could not be handed on (dedupe
   * store or bus failed; the claim is released so the sender's retry is accepted) and with
   * {@link EventInFlightError} when another attempt holds the id.
   */
  ingest(event: GatewayEvent): Promise<'published' | 'duplicate'>;
}

/** Creates the {@link EventIngest}: claim the id, run the hook, publish, then commit (or release) the claim. */
export function createEventIngest(deps: EventIngestDeps): EventIngest {
  const logger = deps.logger ?? silentLogger;
  return {
    async ingest(event) {
      const claim = await deps.dedupe.claim(event.id);
      if (claim === 'duplicate') {
        logger.debug({ eventId: event.id, type: event.type }, 'duplicate event ignored');
        return 'duplicate';
      }
      if (claim === 'in-flight') throw new EventInFlightError(event.id);
      try {
        await deps.onEvent?.(event);
      } catch (error) {
        logger.warn({ eventId: event.id, err: String(error) }, 'event hook failed; publishing anyway');
      }
      try {
        await deps.bus.publish(event);
      } catch (error) {
        // If this fails too, the claim still expires on its own shortly, and the retry after that is accepted.
        await deps.dedupe.release(event.id).catch((releaseError: unknown) => {
          logger.warn({ eventId: event.id, err: String(releaseError) }, 'could not release event id after failed publish');
        });
        throw error;
      }
      await deps.dedupe.commit(event.id).catch((commitError: unknown) => {
        // Published but not remembered: a redelivery after the claim expires is published again (at-least-once).
        logger.warn({ eventId: event.id, err: String(commitError) }, 'could not remember published event id');
      });
      deps.onPublished?.(event);
      logger.debug({ eventId: event.id, type: event.type, app: event.app, machineId: event.machineId }, 'event published');
      return 'published';
    },
  };
}
