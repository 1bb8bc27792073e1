import { randomBytes } from 'node:crypto';
import type { Clock } from '../lib/clock.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';

/** Identifier factories for one emulator instance (each emulator keeps its own ULID monotonic state). */
export interface IdFactory {
  /** 14 lowercase hex chars, the shape of a Fly machine id. */
  machineId(): string;
  /** 26-char ULID, monotonic on the emulator clock (versions and events sort by creation order). */
  ulid(): string;
  /** `vol_` + 16 base32 chars. */
  volumeId(): string;
  /** A 6PN-looking private IPv6 address. */
  privateIp(): string;
  /** Lease nonce: 12 hex chars. */
  nonce(): string;
  /** Opaque request id for the `fly-request-id` header. */
  requestId(): string;
  /** Short lowercase id for apps and snapshots. */
  shortId(length?: number): string;
}

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Creates an {@link IdFactory} reading time from `clock`. */
export function createIdFactory(clock: Clock): IdFactory {
  let lastTime = -1;
  let lastRandom: number[] = [];

  // Same-millisecond ULIDs increment the random part so ids created under a frozen manual clock still sort in order.
  function nextRandom(time: number): number[] {
    if (time === lastTime) {
      const next = [...lastRandom];
      for (let i = next.length - 1; i >= 0; i--) {
        if (next[i] < 31) {
          next[i] += 1;
          break;
        }
        next[i] = 0;
      }
      return next;
    }
    // Leave headroom in the top digit so increments never overflow.
    return Array.from(randomBytes(16), (b, i) => (i === 0 ? b % 16 : b % 32));
  }

  return {
    machineId: () => hex(7),
    ulid() {
      const time = Math.max(clock.now(), lastTime);
      lastRandom = nextRandom(time);
      lastTime = time;
      return encodeTime(time) + lastRandom.map((d) => CROCKFORD[d]).join('');
    },
    volumeId: () => 'vol_' + Array.from(randomBytes(16), (b) => BASE32_LOWER[b % 32]).join(''),
    privateIp: () => `fdaa:0:${hex(2)}:a7b:${hex(1)}:${hex(2)}:${hex(2)}:2`.replace(/:0+(?=[0-9a-f])/g, ':'),
    nonce: () => hex(6),
    requestId: () => `${hex(10)}-emu`,
    shortId: (length = 12) => Array.from(randomBytes(length), (b) => BASE32_LOWER[b % 32]).join(''),
  };
}
