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

/** Which apps a request may see: every app for the emulator's own token, the granted ones for a scoped token. */
export type AppVisibility = (app: string) => boolean;

/** The tokens an emulator accepts: its own (every app) and scoped ones, as Fly's tokens are scoped to apps. */
export interface TokenRegistry {
  /** What the header's token may see, or undefined when no token of it is accepted (401). */
  authorize(header: string | undefined): AppVisibility | undefined;
  /** Whether the header's token may change anything (a read-only token may only GET). */
  mayWrite(header: string | undefined): boolean;
  /** Accepts `token` for exactly these apps (replacing an earlier grant), read-only when asked (`fly tokens create readonly`). */
  grant(token: string, apps: readonly string[], options?: { readOnly?: boolean }): void;
  /** Stops accepting a scoped token. */
  revoke(token: string): void;
  /** What the header's token grants, for the token-verification routes: every app (`all`) or the granted ones. */
  describe(header: string | undefined): { apps: readonly string[] | 'all'; readOnly: boolean } | undefined;
}

const everything: AppVisibility = () => true;

/** Creates the registry; every comparison is of sha256 digests in constant time. */
export function createTokenRegistry(ownToken: string): TokenRegistry {
  const own = createAuthChecker(ownToken);
  const scoped = new Map<string, { digest: Buffer; apps: Set<string>; readOnly: boolean }>();
  const entryOf = (header: string | undefined) => {
    const presented = tokensFromHeader(header).map(digest);
    for (const entry of scoped.values()) if (presented.some((d) => timingSafeEqual(d, entry.digest))) return entry;
    return undefined;
  };
  return {
    authorize(header) {
      if (own(header)) return everything;
      const entry = entryOf(header);
      return entry && ((app) => entry.apps.has(app));
    },
    mayWrite(header) {
      return own(header) || entryOf(header)?.readOnly === false;
    },
    grant(token, apps, options = {}) {
      scoped.set(token, { digest: digest(token), apps: new Set(apps), readOnly: options.readOnly ?? false });
    },
    revoke(token) {
      scoped.delete(token);
    },
    describe(header) {
      if (own(header)) return { apps: 'all', readOnly: false };
      const entry = entryOf(header);
      return entry && { apps: [...entry.apps].sort(), readOnly: entry.readOnly };
    },
  };
}

/** Fly's observed 401 body. */
export const UNAUTHORIZED_BODY = { error: 'Authenticate: token validation error' } as const;
/** What a read-only token's write is answered with (401, as any token without the right is). */
export const READ_ONLY_BODY = { error: 'unauthorized: this token may only read' } as const;
