import { createHmac } from 'node:crypto';

/** The prefix Standard Webhooks puts before a base64 secret. */
export const SECRET_PREFIX = 'whsec_';

/**
 * Splits a `WEBHOOK_SECRET` value that may hold several secrets (rotation) separated by spaces or commas.
 * Empty parts are dropped.
 */
export function parseWebhookSecrets(value: string): string[] {
  return value.split(/[\s,]+/).filter((part) => part.length > 0);
}

/**
 * Decodes a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries) to its key bytes.
 * Errors name the secret's position, never its content.
 */
export function decodeWebhookSecret(secret: string, position = 1): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length % 4 !== 0) {
    throw new Error(`webhook secret #${position} is not of the form whsec_<base64>`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new Error(`webhook secret #${position} is shorter than 16 bytes once decoded`);
  return new Uint8Array(key);
}

/** HMAC-SHA256 of `{id}.{timestamp}.{body}` over the body's exact bytes. */
export function computeSignature(key: Uint8Array, id: string, timestamp: number, body: Uint8Array | string): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** Input of {@link signWebhook}. */
export interface SignWebhookInput {
  /** One or more `whsec_...` secrets; one signature per secret (what a sender does during rotation). */
  secrets: string[];
  id: string;
  /** Unix seconds. */
  timestamp: number;
  body: Uint8Array | string;
}

/**
 * The three Standard Webhooks headers for a message, for relays, the emulator and tests. The body must be sent
 * byte for byte as signed.
 */
export function signWebhook(input: SignWebhookInput): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signatures = input.secrets.map(
    (secret, index) =>
      `v1,${computeSignature(decodeWebhookSecret(secret, index + 1), input.id, input.timestamp, input.body).toString('base64')}`,
  );
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestamp),
    'webhook-signature': signatures.join(' '),
  };
}
