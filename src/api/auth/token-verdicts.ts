import { LRUCache } from 'lru-cache';
import type { Clock } from '../../lib/clock.js';

/** What Fly last said of a caller's token: it took it, or it refused it. */
export type TokenVerdict = 'accepted' | 'rejected';

/**
 * What this instance has learnt from Fly about callers' tokens in fly-token mode, by fingerprint (never the token).
 * A token nobody has seen Fly accept is "unverified": it gets only a share of its address's allowance, so made-up
 * tokens cannot each be a fresh caller. A token Fly refused is refused here for a while without asking Fly again.
 */
export interface TokenVerdicts {
  /** Records what a call made with the token told (the Fly client reports every such call). */
  record(fingerprint: string, verdict: TokenVerdict): void;
  /** The verdict still in force, if any. */
  of(fingerprint: string): TokenVerdict | undefined;
}

/** Options for {@link createTokenVerdicts}. */
export interface TokenVerdictsOptions {
  clock: Clock;
  /** How long an accepted token counts as verified without another accepted call. @default 10 minutes */
  acceptedForMs?: number;
  /** How long a refused token is refused here before Fly is asked again. @default 60 s */
  rejectedForMs?: number;
  /** Most fingerprints kept; the least recently used go first. @default 10,000 */
  maxEntries?: number;
}

/** Creates the per-instance {@link TokenVerdicts} (bounded: a flood of made-up tokens only evicts the oldest). */
export function createTokenVerdicts({
  clock,
  acceptedForMs = 10 * 60_000,
  rejectedForMs = 60_000,
  maxEntries = 10_000,
}: TokenVerdictsOptions): TokenVerdicts {
  const entries = new LRUCache<string, { verdict: TokenVerdict; until: number }>({ max: maxEntries });
  return {
    record(fingerprint, verdict) {
      entries.set(fingerprint, { verdict, until: clock.now() + (verdict === 'accepted' ? acceptedForMs : rejectedForMs) });
    },
    of(fingerprint) {
      const entry = entries.get(fingerprint);
      if (!entry) return undefined;
      if (entry.until > clock.now()) return entry.verdict;
      entries.delete(fingerprint);
      return undefined;
    },
  };
}
