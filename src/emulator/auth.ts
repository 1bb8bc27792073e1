import { createHash, timingSafeEqual } from 'node:crypto';

const SCHEME = /^\s*(bearer|flyv1)\s+/i;

/** Splits an Authorization header into candidate tokens: comma-separated parts, any `Bearer`/`FlyV1` prefixes stripped. */
export function tokensFromHeader(header: string | undefined): string[] {
  if (!header) return [];
  let rest = header.trim();
  // Schemes may be nested (`Bearer FlyV1 x`), as clients that re-wrap a stored header produce.
  while (SCHEME.test(rest)) rest = rest.replace(SCHEME, '');
  return rest
    .split(',')
    .map((part) => {
      let p = part.trim();
      while (SCHEME.test(p)) p = p.replace(SCHEME, '');
      return p.trim();
    })
    .filter(Boolean);
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Returns a checker that accepts a header when any of its tokens equals `token` (constant-time compare). */
export function createAuthChecker(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => tokensFromHeader(header).some((t) => timingSafeEqual(digest(t), expected));
}

/** Fly's observed 401 body. */
export const UNAUTHORIZED_BODY = { error: 'Authenticate: token validation error' } as const;
