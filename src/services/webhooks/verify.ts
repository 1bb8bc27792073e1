import { timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../../lib/clock.js';
import { computeSignature, decodeWebhookSecret } from './signature.js';

/** Options for {@link createWebhookVerifier}. */
export interface WebhookVerifierOptions {
  /** Accepted secrets (`whsec_<base64>`); a message signed with any of them is accepted (rotation). */
  secrets: string[];
  /** Allowed distance between `webhook-timestamp` and now, both ways. @default 300 */
  toleranceSeconds?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** Outcome of a verification; `reason` is safe to show to the sender (no secret material). */
export type VerifyResult = { ok: true; id: string; timestamp: number } | { ok: false; reason: string };

/** Checks Standard Webhooks signatures. */
export interface WebhookVerifier {
  verify(rawBody: Uint8Array | string, headers: Headers | Record<string, string | undefined>): VerifyResult;
}

const MAX_ID_LENGTH = 256;
const SIGNATURE_BYTES = 32;

function header(headers: Headers | Record<string, string | undefined>, name: string): string | undefined {
  // Duck-typed: servers such as yoga hand over their own Headers implementation, which is not `instanceof Headers`.
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const plain = headers as Record<string, string | undefined>;
  for (const key of Object.keys(plain)) if (key.toLowerCase() === name) return plain[key];
  return undefined;
}

/**
 * Creates a {@link WebhookVerifier}. Secrets are decoded once here, so a malformed secret fails at start-up.
 * The HMAC covers the raw body bytes as received, and comparisons are constant-time over the decoded bytes.
 */
export function createWebhookVerifier(options: WebhookVerifierOptions): WebhookVerifier {
  if (options.secrets.length === 0) throw new Error('at least one webhook secret is required');
  const keys = options.secrets.map((secret, index) => decodeWebhookSecret(secret, index + 1));
  const tolerance = options.toleranceSeconds ?? 300;
  const clock = options.clock ?? systemClock;

  return {
    verify(rawBody, headers) {
      const id = header(headers, 'webhook-id');
      const timestampText = header(headers, 'webhook-timestamp');
      const signatureText = header(headers, 'webhook-signature');
      if (!id) return { ok: false, reason: 'missing webhook-id header' };
      if (!timestampText) return { ok: false, reason: 'missing webhook-timestamp header' };
      if (!signatureText) return { ok: false, reason: 'missing webhook-signature header' };
      if (id.length > MAX_ID_LENGTH || !/^[\x21-\x7e]+$/.test(id)) {
        return { ok: false, reason: `webhook-id must be 1-${MAX_ID_LENGTH} printable ASCII characters without spaces` };
      }
      if (!/^\d{1,12}$/.test(timestampText)) return { ok: false, reason: 'webhook-timestamp must be Unix time in whole seconds' };
      const timestamp = Number(timestampText);
      const now = Math.floor(clock.now() / 1000);
      if (now - timestamp > tolerance) return { ok: false, reason: `webhook-timestamp is more than ${tolerance} s in the past` };
      if (timestamp - now > tolerance) return { ok: false, reason: `webhook-timestamp is more than ${tolerance} s in the future` };

      const candidates: Buffer[] = [];
      let malformed = 0;
      for (const entry of signatureText.split(/\s+/)) {
        // Other schemes (v1a asymmetric signatures) may sit alongside; they are simply not ours to check. Empty
        // entries (leading, trailing or repeated spaces) do not start with `v1,` either.
        if (!entry.startsWith('v1,')) continue;
        const bytes = Buffer.from(entry.slice(3), 'base64');
        if (bytes.length === SIGNATURE_BYTES) candidates.push(bytes);
        else malformed++;
      }
      if (candidates.length === 0) {
        // A v1 entry of the wrong size is there but cannot be an HMAC-SHA256: say so, not that it is missing.
        return {
          ok: false,
          reason: malformed
            ? `webhook-signature's v1 signature is not ${SIGNATURE_BYTES} bytes of base64 (an HMAC-SHA256)`
            : 'webhook-signature holds no v1 signature',
        };
      }

      let matched = false;
      for (const key of keys) {
        const expected = computeSignature(key, id, timestamp, rawBody);
        // No early exit: the work done does not depend on which signature or secret matched.
        for (const candidate of candidates) if (timingSafeEqual(expected, candidate)) matched = true;
      }
      return matched ? { ok: true, id, timestamp } : { ok: false, reason: 'no signature matches' };
    },
  };
}
