/**
 * How the token is presented to Fly. Macaroons (the `fm1r_`, `fm1a_`, `fm2_` family) go out under the `FlyV1`
 * scheme, anything else under `Bearer`, mirroring fly-go's `FlapsHeader`: when a token string mixes macaroons and
 * other tokens, only the macaroons are sent because that is all the Machines API accepts from such a bundle.
 */

const MACAROON_PREFIXES = ['fm1r_', 'fm1a_', 'fm2_'];
const SCHEME_PREFIX = /^\s*(bearer|flyv1)(\s+|$)/i;

/**
 * Removes any leading `Bearer ` / `FlyV1 ` scheme, repeatedly and case-insensitively, so `Bearer FlyV1 x` and `x`
 * normalise to the same token.
 */
export function stripAuthScheme(token: string): string {
  let current = token.trim();
  while (SCHEME_PREFIX.test(current)) current = current.replace(SCHEME_PREFIX, '').trim();
  return current;
}

/** Whether one comma-separated part of a token is a Fly macaroon. */
export function isMacaroon(part: string): boolean {
  return MACAROON_PREFIXES.some((prefix) => part.startsWith(prefix));
}

/** Builds the `Authorization` header value for a token (already validated as non-empty). */
export function formatAuthorization(token: string): string {
  const bare = stripAuthScheme(token);
  const parts = bare
    .split(',')
    .map((part) => stripAuthScheme(part))
    .filter((part) => part.length > 0);
  const macaroons = parts.filter(isMacaroon);
  if (macaroons.length > 0) return `FlyV1 ${macaroons.join(',')}`;
  return `Bearer ${bare}`;
}

/** A PEM private key (a custom certificate's), whole or cut off after its header. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
 * Returns a function that replaces every occurrence of the token (whole, and each comma-separated part), and any PEM
 * private key, with `[redacted]`. Applied to every message the client builds from upstream text, so an echoing
 * proxy (or an API quoting a rejected upload) cannot leak either.
 */
export function createRedactor(token: string): (text: string) => string {
  const bare = stripAuthScheme(token);
  const secrets = [token.trim(), bare, ...bare.split(',').map((part) => stripAuthScheme(part))]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return out.replace(PEM_PRIVATE_KEY, '[redacted]');
  };
}
